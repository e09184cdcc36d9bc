package rancher

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// appliedStates lists, per action, the states showing that the action took effect, so an action whose
// answer was lost is not run twice.
var appliedStates = map[string][]string{
	"activate":      {"activating", "active", "updating-active"},
	"deactivate":    {"deactivating", "inactive"},
	"upgrade":       {"upgrading", "upgraded"},
	"finishupgrade": {"finishing-upgrade"},
	"rollback":      {"rolling-back"},
	"cancelupgrade": {"canceling-upgrade", "canceled-upgrade"},
	"restart":       {"restarting"},
	"remove":        {"removing", "removed"},
	"start":         {"starting", "running"},
	"stop":          {"stopping", "stopped"},
	"update":        {"updating-active", "updating-inactive", "updating"},
}

// Action runs action on obj (a pointer to a resource) with input (nil: no body) and decodes the answer
// into out (nil: ignore it).
//
// The action must be in obj's actions map, otherwise an *ActionUnavailableError is returned and nothing
// is sent (never silently). A 409 (resource busy) is retried after re-reading the resource; a transient
// failure whose outcome is unknown is retried only if the re-read resource shows that the action did not
// take effect (state unchanged and not one of the action's states), otherwise the re-read resource is
// the result.
func (c *Client) Action(ctx context.Context, obj any, action string, input any, out any) error {
	base, err := baseOf(obj)
	if err != nil {
		return err
	}
	before := statusOfObject(obj)
	what := describe(base, before)
	actionURL, ok := base.Actions[action]
	if !ok {
		return &ActionUnavailableError{Action: action, Resource: what, State: before.State, Available: actionNames(base.Actions)}
	}
	var payload []byte
	if input != nil {
		if payload, err = json.Marshal(input); err != nil {
			return fmt.Errorf("encoding the input of %s on %s: %w", action, what, err)
		}
	}
	maybeApplied, mustReread := false, false
	var lastErr error
	for attempt := 1; attempt <= c.cfg.Retry.Attempts; attempt++ {
		if attempt > 1 {
			c.stats.retries.Add(1)
			if err := sleep(ctx, c.cfg.Retry.backoff(attempt-1)); err != nil {
				return fmt.Errorf("%s on %s: %w (after %v)", action, what, err, lastErr)
			}
		}
		if mustReread {
			cur, raw, err := c.reread(ctx, base)
			if err != nil {
				if isTransient(err) {
					lastErr = err
					continue
				}
				return fmt.Errorf("%s on %s: re-reading it after %v: %w", action, what, lastErr, err)
			}
			if maybeApplied && actionTookEffect(action, before, cur.status()) {
				c.log.note("%s on %s took effect despite %v: not repeating it", action, what, lastErr)
				self := base.Links["self"]
				resetValue(out) // out may be obj itself
				return decodeInto(http.MethodGet, self, raw, out)
			}
			next, ok := cur.Actions[action]
			if !ok {
				if cur.Transitioning == "yes" {
					continue // busy with another process: the action may come back when it ends
				}
				return fmt.Errorf("%w (after %v)", &ActionUnavailableError{Action: action, Resource: what, State: cur.State, Available: actionNames(cur.Actions)}, lastErr)
			}
			actionURL = next
		}
		resp, err := c.exchange(ctx, http.MethodPost, actionURL, payload, retryUnsent)
		if err == nil {
			resetValue(out)
			return decodeInto(http.MethodPost, actionURL, resp.body, out)
		}
		lastErr = err
		switch {
		case IsConflict(err):
			mustReread = true
		case isTransient(err):
			mustReread = true
			maybeApplied = maybeApplied || !isUnsent(err)
		default:
			return fmt.Errorf("%s on %s: %w", action, what, err)
		}
		c.log.note("%s on %s failed (%v); retrying", action, what, err)
	}
	return fmt.Errorf("%s on %s: giving up after %d attempts: %w", action, what, c.cfg.Retry.Attempts, lastErr)
}

// reread GETs a resource's self link and returns its shared fields and raw JSON.
func (c *Client) reread(ctx context.Context, base *resources.Resource) (*rawStatus, []byte, error) {
	self := base.Links["self"]
	if self == "" {
		return nil, nil, fmt.Errorf("no self link to re-read")
	}
	raw, err := c.getRaw(ctx, self)
	if err != nil {
		return nil, nil, err
	}
	cur := &rawStatus{}
	if err := json.Unmarshal(raw, cur); err != nil {
		return nil, nil, fmt.Errorf("decoding %s: %w", self, err)
	}
	return cur, raw, nil
}

// actionTookEffect tells from the re-read state whether a lost action was applied.
func actionTookEffect(action string, before, now status) bool {
	if now.State != before.State {
		return true
	}
	for _, s := range appliedStates[action] {
		if now.State == s {
			return true
		}
	}
	return false
}
