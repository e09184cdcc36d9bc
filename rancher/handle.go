package rancher

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Handle gives typed access to one resource type. T is a go-rancher style struct embedding
// resources.Resource. Build one with NewHandle, or take those of Client (Stacks, Services...).
type Handle[T any] struct {
	c   *Client
	typ string
}

// NewHandle returns a handle for schema type typ decoded into T, e.g.
// NewHandle[resources.Service](c, "loadBalancerService").
func NewHandle[T any](c *Client, typ string) *Handle[T] { return &Handle[T]{c: c, typ: typ} }

// Type is the schema type the handle lists and creates.
func (h *Handle[T]) Type() string { return h.typ }

// List returns every resource of the collection matching f, across all pages.
func (h *Handle[T]) List(ctx context.Context, f Filters) ([]T, error) {
	return h.ListQuery(ctx, f.Query())
}

// ListQuery is List with filters given as query values, for a filter with several values (Filters.Query).
func (h *Handle[T]) ListQuery(ctx context.Context, q url.Values) ([]T, error) {
	u, err := h.c.collectionURL(h.typ, http.MethodGet)
	if err != nil {
		return nil, err
	}
	var out []T
	err = eachPage(ctx, h.c, u, q, func(items []T) error {
		if out == nil {
			out = items
		} else {
			out = append(out, items...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %ss: %w", h.typ, err)
	}
	return out, nil
}

// ByName returns the non-removed resource named name that also matches f (for example
// Filters{"stackId": id}), or nil when there is none. An exact match wins over one differing in case.
func (h *Handle[T]) ByName(ctx context.Context, name string, f Filters) (*T, error) {
	items, err := h.List(ctx, byName(name, f))
	if err != nil {
		return nil, err
	}
	var folded *T
	for i := range items {
		got := statusOfObject(&items[i]).Name
		if got == name {
			return &items[i], nil
		}
		if folded == nil && strings.EqualFold(got, name) {
			folded = &items[i]
		}
	}
	return folded, nil
}

// byName are the filters of ByName: f, not removed, and the name.
func byName(name string, f Filters) Filters {
	q := f.NotRemoved()
	q["name"] = name
	return q
}

// Get reads a resource by id (collection/<id>). A missing id is an *APIError for which IsNotFound holds.
func (h *Handle[T]) Get(ctx context.Context, id string) (*T, error) {
	u, err := h.c.collectionURL(h.typ, http.MethodGet)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := h.c.getJSON(ctx, strings.TrimSuffix(u, "/")+"/"+url.PathEscape(id), out); err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", h.typ, id, err)
	}
	return out, nil
}

// Create POSTs body (a T or any JSON-encodable value) to the collection and returns the new resource.
// A transient failure never creates a duplicate: before posting again the resource is looked up by name
// (and stackId) and returned if the first post did create it.
func (h *Handle[T]) Create(ctx context.Context, body any) (*T, error) {
	out := new(T)
	if err := h.c.create(ctx, h.typ, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Update PUTs changes (nil: obj itself) to obj's self link and returns the updated resource. A 409 (the
// resource busy, or changed under the request) is retried with backoff after re-reading the resource,
// when changes are given: they are applied to the resource as it is then (a whole object is not re-sent
// over someone else's change).
func (h *Handle[T]) Update(ctx context.Context, obj *T, changes any) (*T, error) {
	out, err := h.update(ctx, obj, changes)
	for attempt := 2; IsConflict(err) && changes != nil && attempt <= h.c.cfg.Retry.Attempts; attempt++ {
		h.c.stats.retries.Add(1)
		if serr := sleep(ctx, h.c.cfg.Retry.backoff(attempt-1)); serr != nil {
			return nil, fmt.Errorf("%w (after %v)", serr, err)
		}
		cur, rerr := h.Reload(ctx, obj)
		if rerr != nil {
			return nil, fmt.Errorf("re-reading after %v: %w", err, rerr)
		}
		h.c.log.note("update after a conflict (%v): retrying", err)
		out, err = h.update(ctx, cur, changes)
	}
	return out, err
}

func (h *Handle[T]) update(ctx context.Context, obj *T, changes any) (*T, error) {
	base, err := baseOf(obj)
	if err != nil {
		return nil, err
	}
	if err := h.c.checkResourceMethod(h.typ, http.MethodPut); err != nil {
		return nil, err
	}
	if changes == nil {
		changes = obj
	}
	self, err := selfLink(base, obj)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := h.c.doJSON(ctx, http.MethodPut, self, changes, out, retryIdempotent); err != nil {
		return nil, fmt.Errorf("updating %s: %w", describe(base, statusOfObject(obj)), err)
	}
	return out, nil
}

// Delete DELETEs obj's self link and returns the resource as the server answered (usually "removing").
// A resource that is already gone is not an error: Delete then returns nil.
func (h *Handle[T]) Delete(ctx context.Context, obj *T) (*T, error) {
	base, err := baseOf(obj)
	if err != nil {
		return nil, err
	}
	if err := h.c.checkResourceMethod(h.typ, http.MethodDelete); err != nil {
		return nil, err
	}
	self, err := selfLink(base, obj)
	if err != nil {
		return nil, err
	}
	out := new(T)
	err = h.c.doJSON(ctx, http.MethodDelete, self, nil, out, retryIdempotent)
	switch s := statusOf(err); {
	case err == nil:
		return out, nil
	case s == http.StatusNotFound:
		return nil, nil
	case s == http.StatusConflict || s == http.StatusMethodNotAllowed:
		// a retried DELETE whose first attempt was applied finds the resource already removing
		if cur, rerr := h.Reload(ctx, obj); rerr == nil && removing(statusOfObject(cur).State) {
			return cur, nil
		}
	}
	return nil, fmt.Errorf("removing %s: %w", describe(base, statusOfObject(obj)), err)
}

func removing(state string) bool {
	switch state {
	case "removing", "removed", "purging", "purged":
		return true
	}
	return false
}

// Reload GETs obj's self link and returns the fresh resource.
func (h *Handle[T]) Reload(ctx context.Context, obj *T) (*T, error) {
	out := new(T)
	if err := h.c.Reload(ctx, obj, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Action runs a resource action (activate, upgrade, setservicelinks...) whose output is the resource
// itself. See Client.Action for the checks and retries.
func (h *Handle[T]) Action(ctx context.Context, obj *T, action string, input any) (*T, error) {
	out := new(T)
	if err := h.c.Action(ctx, obj, action, input, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Wait polls obj until it is no longer transitioning and returns its last state; see WaitTransition.
func (h *Handle[T]) Wait(ctx context.Context, obj *T, opts ...WaitOption) (*T, error) {
	cur := new(T)
	*cur = *obj
	if err := h.c.WaitTransition(ctx, cur, opts...); err != nil {
		return cur, err
	}
	return cur, nil
}

// Reload GETs obj's self link into out (which may be obj itself).
func (c *Client) Reload(ctx context.Context, obj any, out any) error {
	base, err := baseOf(obj)
	if err != nil {
		return err
	}
	self, err := selfLink(base, obj)
	if err != nil {
		return err
	}
	body, err := c.getRaw(ctx, self)
	if err != nil {
		return fmt.Errorf("reloading %s: %w", describe(base, statusOfObject(obj)), err)
	}
	resetValue(out)
	return decodeInto(http.MethodGet, self, body, out)
}

func (c *Client) getRaw(ctx context.Context, rawURL string) ([]byte, error) {
	resp, err := c.exchange(ctx, http.MethodGet, rawURL, nil, retryIdempotent)
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}

// selfLink is the resource's links.self, the URL of its reloads, updates and deletes.
func selfLink(base *resources.Resource, obj any) (string, error) {
	if u := base.Links["self"]; u != "" {
		return u, nil
	}
	return "", fmt.Errorf("failed to find the self URL of %s", describe(base, statusOfObject(obj)))
}
