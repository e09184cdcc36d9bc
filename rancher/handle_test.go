package rancher

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func newTestClient(t *testing.T, f *fakeAPI) *Client {
	t.Helper()
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListFollowsPagination(t *testing.T) {
	f := newFakeAPI(t)
	f.pageSize = 100
	for i := 0; i < 250; i++ {
		f.add("stack", map[string]any{"name": fmt.Sprintf("s%03d", i), "state": "active"})
	}
	c := newTestClient(t, f)
	stacks, err := c.Stacks().List(context.Background(), Filters{}.NotRemoved())
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 250 || stacks[0].Name != "s000" || stacks[249].Name != "s249" {
		t.Fatalf("got %d stacks", len(stacks))
	}
	if n := f.count("GET /v2-beta/stacks"); n != 3 {
		t.Errorf("pages fetched = %d, want 3", n)
	}
}

func TestByNameSendsTheOriginalQuery(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "Web", "stackId": "1st1", "state": "active"})
	f.add("service", map[string]any{"name": "web", "stackId": "1st1", "state": "active"})
	f.add("service", map[string]any{"name": "web", "stackId": "1st2", "state": "active"})
	c := newTestClient(t, f)
	svc, err := c.Services().ByName(context.Background(), "web", Filters{"stackId": "1st1"})
	if err != nil || svc == nil {
		t.Fatalf("svc %v err %v", svc, err)
	}
	if svc.Name != "web" || svc.Id != "1x2" {
		t.Errorf("got %s %s, want the exact-case match 1x2", svc.Name, svc.Id)
	}
	log := f.log()
	if got, want := log[len(log)-1], "GET /v2-beta/services?name=web&removed_null=%3Cnil%3E&stackId=1st1"; got != want {
		t.Errorf("query %s, want %s", got, want)
	}
	none, err := c.Services().ByName(context.Background(), "db", Filters{"stackId": "1st1"})
	if err != nil || none != nil {
		t.Errorf("missing service: %v %v", none, err)
	}
}

func TestGetUpdateDeleteUseSelfLinks(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "scale": 1, "state": "active"})
	c := newTestClient(t, f)
	ctx := context.Background()
	svc, err := c.Services().Get(ctx, "1x1")
	if err != nil {
		t.Fatal(err)
	}
	up, err := c.Services().Update(ctx, svc, map[string]any{"scale": 3})
	if err != nil || up.Scale != 3 {
		t.Fatalf("update: %v %v", up, err)
	}
	gone, err := c.Services().Delete(ctx, up)
	if err != nil || gone.State != "removing" {
		t.Fatalf("delete: %+v %v", gone, err)
	}
	if _, err := c.Services().Get(ctx, "1x99"); !IsNotFound(err) {
		t.Errorf("get of a missing id: %v", err)
	}
	want := []string{"GET /v2-beta/services/1x1", "PUT /v2-beta/services/1x1", "DELETE /v2-beta/services/1x1", "GET /v2-beta/services/1x99"}
	if got := f.log()[2:]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests %v, want %v", got, want)
	}
}

func TestDeleteOfAGoneResourceIsNotAnError(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	ghost := &resources.Service{Resource: resources.Resource{Id: "1x9", Type: "service", Links: map[string]string{"self": f.srv.URL + "/v2-beta/services/1x9"}}}
	got, err := c.Services().Delete(context.Background(), ghost)
	if err != nil || got != nil {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestListLinkFollowsAResourceLink(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "active"})
	c := newTestClient(t, f)
	svc, err := c.Services().Get(context.Background(), "1x1")
	if err != nil {
		t.Fatal(err)
	}
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/v2-beta/services/1x1/instances" {
			f.writeJSON(w, 200, map[string]any{"type": "collection", "data": []map[string]any{{"id": "1i1", "type": "container", "name": "s-web-1", "hostId": "1h1"}}})
			return true
		}
		return false
	}
	ctrs, err := ListLink[resources.Container](context.Background(), c, svc, "instances", nil)
	if err != nil || len(ctrs) != 1 || ctrs[0].HostId != "1h1" {
		t.Fatalf("%v %v", ctrs, err)
	}
	if _, err := ListLink[resources.Container](context.Background(), c, svc, "nope", nil); err == nil || !strings.Contains(err.Error(), `no "nope" link`) {
		t.Errorf("missing link: %v", err)
	}
}

func TestTransformPostsToScripts(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	var gotBody string
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/v2-beta/scripts/transform" {
			b := new(strings.Builder)
			_, _ = fmt.Fprint(b, r.ContentLength)
			gotBody = b.String()
			f.writeJSON(w, 200, map[string]any{"imageUuid": "docker:nginx:1.13", "networkMode": "bridge"})
			return true
		}
		return false
	}
	var lc resources.LaunchConfig
	if err := c.Transform(context.Background(), map[string]any{"Name": "/web"}, &lc); err != nil {
		t.Fatal(err)
	}
	if lc.ImageUuid != "docker:nginx:1.13" || gotBody == "0" {
		t.Errorf("launch config %+v, content length %s", lc, gotBody)
	}
}

func TestDeleteRetriedAfterItWasAppliedReturnsTheRemovingResource(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 100
	f.add("service", map[string]any{"name": "web", "state": "active", "transitioning": "no"})
	c := newTestClient(t, f)
	svc, err := c.Services().Get(context.Background(), "1x1")
	if err != nil {
		t.Fatal(err)
	}
	deletes := 0
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodDelete {
			return false
		}
		deletes++
		f.mu.Lock()
		defer f.mu.Unlock()
		obj := f.find("service", "1x1")
		if deletes == 1 {
			f.transition(obj, "removing", "removed")
			w.WriteHeader(502)
			return true
		}
		f.apiError(w, 409, "Conflict", "")
		return true
	}
	got, err := c.Services().Delete(context.Background(), svc)
	if err != nil || got == nil || got.State != "removing" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if deletes != 2 {
		t.Errorf("deletes = %d, want 2 (one retry by the transport)", deletes)
	}
}
