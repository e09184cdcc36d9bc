package rancher

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Filters are collection query filters: "name", "stackId", "name_like", "removed_null"...
type Filters map[string]string

// Nil is the value go-rancher sent for a null filter (fmt.Sprint(nil)); the original sends
// removed_null=<nil> and the API ignores the value of _null filters.
const Nil = "<nil>"

// NotRemoved returns a copy of f that also excludes removed resources (removed_null=<nil>).
func (f Filters) NotRemoved() Filters {
	out := make(Filters, len(f)+1)
	for k, v := range f {
		out[k] = v
	}
	out["removed_null"] = Nil
	return out
}

// Query returns the filters as query values. Values added to one filter are ANDed by Cattle, so
// q.Add("state_ne", "inactive") on a query holding state_ne=active keeps what is in neither state
// (list with Handle.ListQuery).
func (f Filters) Query() url.Values {
	q := make(url.Values, len(f))
	for k, v := range f {
		q.Set(k, v)
	}
	return q
}

// maxPages bounds how many pages one listing follows (100 per page by default on the server).
const maxPages = 10000

// listPages GETs a collection with filters and follows pagination.next to the last page, passing each
// page's raw items to each.
func (c *Client) listPages(ctx context.Context, collectionURL string, f Filters, each func(json.RawMessage) error) error {
	return eachPage(ctx, c, collectionURL, f.Query(), func(items []json.RawMessage) error {
		for _, item := range items {
			if err := each(item); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachPage is listPages decoding each page straight into items of T: one pass over the body, where raw
// items decoded one by one afterwards cost a second (a big stack's list is most of a deploy's CPU).
func eachPage[T any](ctx context.Context, c *Client, collectionURL string, q url.Values, each func([]T) error) error {
	next, err := appendQuery(collectionURL, q)
	if err != nil {
		return fmt.Errorf("listing %s: %w", redactURL(collectionURL), err)
	}
	seen := map[string]bool{}
	for pages := 0; next != "" && !seen[next] && pages < maxPages; pages++ {
		seen[next] = true
		var page struct {
			resources.Collection
			Data []T `json:"data"`
		}
		if err := c.getJSON(ctx, next, &page); err != nil {
			return err
		}
		if err := each(page.Data); err != nil {
			return err
		}
		next = ""
		if page.Pagination != nil && page.Pagination.Next != "" {
			next = resolveURL(collectionURL, page.Pagination.Next)
		}
	}
	return nil
}

// collectionURL returns the collection link of a type, checking that the key may use method on it.
func (c *Client) collectionURL(typ, method string) (string, error) {
	s, ok := c.types[typ]
	if !ok {
		return "", fmt.Errorf("unknown schema type [%s]: the API at %s does not offer it to this key", typ, redactURL(c.SchemasURL()))
	}
	if !resources.HasMethod(s.CollectionMethods, method) {
		verb := map[string]string{http.MethodGet: "list", http.MethodPost: "create"}[method]
		return "", fmt.Errorf("this API key may not %s %s resources here (collection methods: %v)", verb, typ, s.CollectionMethods)
	}
	u := s.Links["collection"]
	if u == "" {
		return "", fmt.Errorf("failed to find the collection URL for [%s]", typ)
	}
	return u, nil
}

// checkResourceMethod verifies that the key may use method on resources of typ.
func (c *Client) checkResourceMethod(typ, method string) error {
	s, ok := c.types[typ]
	if !ok || resources.HasMethod(s.ResourceMethods, method) {
		return nil // an unknown subtype is left to the server to judge
	}
	return fmt.Errorf("this API key may not %s %s resources here (resource methods: %v)", method, typ, s.ResourceMethods)
}

// ListLink lists the collection a resource links to (a service's "instances", a stack's "services"),
// following pagination.
func ListLink[T any](ctx context.Context, c *Client, obj any, link string, f Filters) ([]T, error) {
	base, err := baseOf(obj)
	if err != nil {
		return nil, err
	}
	u := base.Links[link]
	if u == "" {
		return nil, fmt.Errorf("%s has no %q link", describe(base, statusOfObject(obj)), link)
	}
	var out []T
	err = eachPage(ctx, c, u, f.Query(), func(items []T) error {
		out = append(out, items...)
		return nil
	})
	return out, err
}
