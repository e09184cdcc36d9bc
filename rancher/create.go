package rancher

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// identity is what a created resource can be found by again.
type identity struct {
	Name    string `json:"name"`
	StackID string `json:"stackId"`
}

// create POSTs body to typ's collection. The transport never repeats the POST unless the connection was
// never made; after any other transient failure (502/503/504, a reset, no answer in time) or a 409 the
// resource is looked up by name and stackId first, and posted again only if it does not exist.
func (c *Client) create(ctx context.Context, typ string, body any, out any) error {
	u, err := c.collectionURL(typ, http.MethodPost)
	if err != nil {
		return fmt.Errorf("creating %s: %w", typ, err)
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding the %s to create: %w", typ, err)
	}
	var id identity
	_ = json.Unmarshal(payload, &id)
	what := typ
	if id.Name != "" {
		what = fmt.Sprintf("%s %q", typ, id.Name)
	}
	maybeSent := false
	var lastErr error
	for attempt := 1; attempt <= c.cfg.Retry.Attempts; attempt++ {
		if attempt > 1 {
			c.stats.retries.Add(1)
			if err := sleep(ctx, c.cfg.Retry.backoff(attempt-1)); err != nil {
				return fmt.Errorf("creating %s: %w (after %v)", what, err, lastErr)
			}
		}
		if maybeSent {
			found, err := c.findCreated(ctx, typ, u, id)
			if err != nil {
				if isTransient(err) {
					lastErr = err
					continue
				}
				return fmt.Errorf("creating %s: looking it up after %v: %w", what, lastErr, err)
			}
			if found != nil {
				c.log.note("%s exists after a failed create (%v): not posting it again", what, lastErr)
				return decodeInto(http.MethodGet, u, found, out)
			}
		}
		resp, err := c.exchange(ctx, http.MethodPost, u, payload, retryUnsent)
		if err == nil {
			return decodeInto(http.MethodPost, u, resp.body, out)
		}
		lastErr = err
		switch {
		case IsConflict(err) && id.Name != "":
			// 409: refused in the state the server was in (busy, or another run creating the same name): look
			// it up on the next attempt, and post again only if it is still missing
			maybeSent = true
		case maybeSent && id.Name != "" && IsUnprocessable(err, "NotUnique"):
			// an earlier post did create it after all: the lookup of the next attempt returns it
		case !isTransient(err):
			return fmt.Errorf("creating %s: %w", what, err)
		case !isUnsent(err):
			if id.Name == "" {
				return fmt.Errorf("creating %s: %w (not retried: the request may have reached the server and an unnamed resource cannot be looked up)", what, err)
			}
			maybeSent = true
		}
		c.log.note("creating %s failed (%v); retrying", what, err)
	}
	return fmt.Errorf("creating %s: giving up after %d attempts: %w", what, c.cfg.Retry.Attempts, lastErr)
}

// findCreated returns the raw JSON of the non-removed resource with id's name (and stackId), or nil.
func (c *Client) findCreated(ctx context.Context, typ, collection string, id identity) (json.RawMessage, error) {
	f := Filters{"name": id.Name}.NotRemoved()
	if id.StackID != "" {
		f["stackId"] = id.StackID
	}
	var found json.RawMessage
	err := c.listPages(ctx, collection, f, func(raw json.RawMessage) error {
		var got identity
		if json.Unmarshal(raw, &got) == nil && strings.EqualFold(got.Name, id.Name) &&
			(id.StackID == "" || got.StackID == id.StackID) && found == nil {
			found = raw
		}
		return nil
	})
	return found, err
}
