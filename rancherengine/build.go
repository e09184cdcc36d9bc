package rancherengine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/transformcache"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// buildConcurrency bounds the transform calls in flight while a project is built. A transform is a pure
// server-side function, so a whole ordinary project is sent at once; the bound only spares a huge one.
const buildConcurrency = 64

// transformCache sends the transforms of a project ahead (while the stack is looked up or created) and
// hands each answer to the build that asks for the same document. Each prepared answer is used once, so
// the build still asks for exactly the transforms it asked for before, only earlier; a document not
// prepared (a legacy load balancer, whose image comes from a setting) or whose early transform failed is
// asked for then. Asking consults the disk cache first (nil: none): an answer kept by an earlier run for
// the same body, URL and server version is used as the server's. A new answer is written to disk only
// once the build is done (saveLater, trim): writing 500 entries on the way cost the build a sixth of a
// second of a fresh 500-service `up`, before the first service could be created.
type transformCache struct {
	c       *rancher.Client
	disk    *transformcache.Cache
	mu      sync.Mutex
	ahead   map[string]*transformCall
	unsaved []transformAnswer
	// answered holds the server's answers of this run by body: a second build (under the lock) finds them
	// here, whether or not saveLater has written them to disk yet
	answered map[string]json.RawMessage
	saving   sync.WaitGroup
}

// transformAnswer is a server's answer not yet written to the disk cache.
type transformAnswer struct{ body, raw []byte }

type transformCall struct {
	done chan struct{}
	raw  json.RawMessage
	err  error
}

func newTransformCache(c *rancher.Client, disk *transformcache.Cache) *transformCache {
	return &transformCache{c: c, disk: disk, ahead: map[string]*transformCall{}, answered: map[string]json.RawMessage{}}
}

// prepare starts the transforms of the named primaries and their sidekicks, in that order: the first
// names' answers come first (Deploy names them in creation order).
func (t *transformCache) prepare(ctx context.Context, p *compose.Project, primaries []string) {
	type prepared struct {
		call *transformCall
		body []byte
	}
	var todo []prepared
	for _, name := range primaries {
		s := p.Service(name)
		if s == nil {
			continue
		}
		for _, n := range append([]string{name}, s.Sidekicks...) {
			svc := p.Service(n)
			if svc == nil {
				continue
			}
			doc, err := launchconfig.NewInspectDocument(p, svc, "")
			if err != nil || doc.Config == nil || doc.Config.Image == "" {
				continue
			}
			body, err := json.Marshal(doc)
			if err != nil {
				continue
			}
			call := &transformCall{done: make(chan struct{})}
			t.mu.Lock()
			t.ahead[string(body)] = call
			t.mu.Unlock()
			todo = append(todo, prepared{call, body})
		}
	}
	go func() {
		sem := make(chan struct{}, buildConcurrency)
		for _, c := range todo {
			sem <- struct{}{} // taken here, in order, not by the goroutines in whatever order they run
			go func() {
				defer close(c.call.done)
				defer func() { <-sem }()
				c.call.raw, c.call.err = t.ask(ctx, c.body)
			}()
		}
	}()
}

// Transform implements launchconfig.Transformer: the prepared answer for doc, or one asked for now.
func (t *transformCache) Transform(ctx context.Context, doc *launchconfig.InspectDocument) (json.RawMessage, error) {
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the transform of %s: %w", doc.Name, err)
	}
	t.mu.Lock()
	call := t.ahead[string(body)]
	delete(t.ahead, string(body))
	t.mu.Unlock()
	if call != nil {
		select {
		case <-call.done:
			if call.err == nil {
				return call.raw, nil
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return t.ask(ctx, body)
}

// ask returns this run's or the disk cache's answer for body, or POSTs body (the very bytes the key was
// made of) to scripts/transform and keeps the answer.
func (t *transformCache) ask(ctx context.Context, body []byte) (json.RawMessage, error) {
	if raw, ok := t.answeredFor(body); ok {
		return raw, nil
	}
	if raw, ok := t.disk.Get(body); ok {
		return raw, nil
	}
	var raw json.RawMessage
	if err := t.c.Transform(ctx, json.RawMessage(body), &raw); err != nil {
		return nil, err
	}
	if t.disk != nil {
		t.mu.Lock()
		t.unsaved = append(t.unsaved, transformAnswer{body: body, raw: raw})
		t.answered[string(body)] = raw
		t.mu.Unlock()
	}
	return raw, nil
}

// answeredFor is the server's answer to body earlier in this run, when a disk cache is in use (without
// one, every build sends its transforms, as the original did).
func (t *transformCache) answeredFor(body []byte) (json.RawMessage, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	raw, ok := t.answered[string(body)]
	return raw, ok
}

// saveLater writes the new answers kept so far to the disk cache in the background, off the deploy's path.
func (t *transformCache) saveLater() {
	t.saving.Add(1)
	go func() {
		defer t.saving.Done()
		t.save()
	}()
}

// save writes the new answers kept so far to the disk cache.
func (t *transformCache) save() {
	t.mu.Lock()
	answers := t.unsaved
	t.unsaved = nil
	t.mu.Unlock()
	for _, a := range answers {
		t.disk.Put(a.body, a.raw)
	}
}

// trim, once the run has asked for everything, writes the answers not yet written and bounds the disk cache.
func (t *transformCache) trim() {
	t.saving.Wait()
	t.save()
	t.disk.Trim()
}

// scopedResolver records, for one service's build, the project services it needed that do not exist yet.
// With placeholder, such a service resolves to a stand-in id so that a --dry-run can still plan the build.
type scopedResolver struct {
	*resolver
	placeholder bool
	missing     []string
}

func (r *scopedResolver) ServiceID(ctx context.Context, name string) (string, error) {
	id, err := r.resolver.ServiceID(ctx, name)
	if err == nil && id == "" && !strings.Contains(name, "/") && r.project.Service(name) != nil {
		r.missing = append(r.missing, name)
		if r.placeholder {
			return "(new " + name + ")", nil
		}
	}
	return id, err
}

// buildResult is a project built for one stack: the services that could be built, and those that must wait
// until services they reference by id (load-balancer targets) exist.
type buildResult struct {
	desired  []*upgrade.Desired
	deferred []string
}

// buildServices builds the named primaries concurrently. A service whose build needs a project service
// that does not exist yet is deferred (or, with placeholder, built against a stand-in id).
func buildServices(ctx context.Context, s *Session, p *compose.Project, stackID string, r *resolver, tr launchconfig.Transformer, names []string, placeholder bool) (*buildResult, error) {
	return buildServicesThen(ctx, s, p, stackID, r, tr, names, placeholder, nil)
}

// buildServicesThen is buildServices that also hands each service built to onBuilt (when not nil) as soon as
// its build returns, from the build's goroutine.
func buildServicesThen(ctx context.Context, s *Session, p *compose.Project, stackID string, r *resolver, tr launchconfig.Transformer,
	names []string, placeholder bool, onBuilt func(*upgrade.Desired)) (*buildResult, error) {
	type one struct {
		d       *upgrade.Desired
		missing []string
		err     error
	}
	out := make([]one, len(names))
	sem := make(chan struct{}, buildConcurrency)
	var wg sync.WaitGroup
	for i, name := range names {
		sem <- struct{}{} // taken before the goroutine starts: a big project has as many goroutines as builds in flight, not one per service
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			sr := &scopedResolver{resolver: r, placeholder: placeholder}
			b := &launchconfig.Builder{Project: p, StackID: stackID, Transformer: tr, Resolver: sr, Now: s.Now}
			built, err := b.Build(ctx, name)
			out[i].missing = sr.missing
			if err == nil {
				out[i].d, err = upgrade.DesiredFrom(p, p.Service(name), built)
			}
			out[i].err = err
			if err == nil && len(sr.missing) == 0 && onBuilt != nil {
				onBuilt(out[i].d)
			}
		}()
	}
	wg.Wait()
	res := &buildResult{}
	for i, o := range out {
		switch {
		case len(o.missing) > 0 && !placeholder:
			res.deferred = append(res.deferred, names[i])
		case o.err != nil:
			return nil, fmt.Errorf("building service %s: %w", names[i], o.err)
		default:
			res.desired = append(res.desired, o.d)
		}
	}
	return res, nil
}
