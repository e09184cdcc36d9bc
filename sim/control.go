package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// serveControl answers the /_sim/ control API (JSON, no authentication; loopback test double).
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	name := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_sim/"), "/")
	var out any
	status := http.StatusOK
	var err error
	switch r.Method + " " + name {
	case "GET ", "GET help":
		out = controlHelp
	case "GET stats":
		out = s.Stats()
	case "POST reset":
		s.Reset()
		out = map[string]any{"reset": true}
	case "GET faults":
		out = s.Faults()
	case "PUT faults", "POST faults":
		var f Faults
		if err = decodeStrict(r, &f); err == nil {
			s.SetFaults(f)
			out = s.Faults()
		}
	case "GET features":
		out = features{ExposeExitCode: s.ExposeExitCode()}
	case "PUT features", "POST features":
		var body features
		if err = decodeStrict(r, &body); err == nil {
			s.SetExposeExitCode(body.ExposeExitCode)
			out = features{ExposeExitCode: s.ExposeExitCode()}
		}
	case "GET images":
		out = s.ImageBehaviors()
	case "PUT images":
		var list []ImageBehavior
		if err = decodeStrict(r, &list); err == nil {
			s.SetImageBehaviors(list)
			out = s.ImageBehaviors()
		}
	case "POST images":
		var b ImageBehavior
		if err = decodeStrict(r, &b); err == nil {
			s.AddImageBehavior(b)
			out = s.ImageBehaviors()
		}
	case "POST advance":
		var body struct{ Duration Duration }
		if err = decodeStrict(r, &body); err == nil {
			err = s.Advance(body.Duration.D())
			out = map[string]any{"now": s.Now().Format(time.RFC3339Nano)}
		}
	case "POST hosts":
		var body struct{ Labels map[string]string }
		if err = decodeStrict(r, &body); err == nil {
			out = map[string]any{"id": s.AddHost(body.Labels)}
		}
	case "GET state":
		out = s.Snapshot()
	case "POST crash":
		var body struct {
			ID       string `json:"id"`
			ExitCode int    `json:"exitCode"`
		}
		if err = decodeStrict(r, &body); err == nil {
			err = s.CrashContainer(body.ID, body.ExitCode)
			out = map[string]any{"crashed": body.ID}
		}
	case "POST revoke":
		var body struct {
			AccessKey string `json:"accessKey"`
		}
		if err = decodeStrict(r, &body); err == nil {
			s.RevokeKey(body.AccessKey)
			out = map[string]any{"revoked": body.AccessKey}
		}
	case "POST removehost":
		var body struct {
			ID string `json:"id"`
		}
		if err = decodeStrict(r, &body); err == nil {
			err = s.RemoveHost(body.ID)
			out = map[string]any{"removed": body.ID}
		}
	default:
		status = http.StatusNotFound
		out = map[string]any{"error": fmt.Sprintf("no control endpoint %s /_sim/%s", r.Method, name), "endpoints": controlHelp}
	}
	if err != nil {
		status = http.StatusBadRequest
		out = map[string]any{"error": err.Error()}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// features are the API extensions beyond stock 1.6 that can be switched at run time.
type features struct {
	ExposeExitCode bool `json:"exposeExitCode"`
}

func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("reading %s body: %w", r.URL.Path, err)
	}
	return nil
}

var controlHelp = map[string]string{
	"GET /_sim/stats":       `request counters since start or reset: {"requests","mutations","byMethod","byStatus","injectedErrors"}`,
	"POST /_sim/reset":      "empty the environment (stacks, services, containers) and the counters; hosts are re-created",
	"GET /_sim/faults":      "current API faults",
	"PUT /_sim/faults":      `replace the faults: {"latency":"20ms","jitter":"5ms","errorRate":0.1,"conflictBurst":3,"dropRate":0.05,"stuckStates":["upgrading"],"errorStates":["activating"],"errorMessage":"..."}`,
	"GET /_sim/features":    "API extensions beyond stock 1.6: {\"exposeExitCode\":false}",
	"PUT /_sim/features":    `replace them: {"exposeExitCode":true} renders the container field lastExitCode of rancher/cattle#2903 (never merged)`,
	"GET /_sim/images":      "per-image behaviours",
	"PUT /_sim/images":      `replace them: [{"glob":"nginx:*","neverHealthy":true},{"glob":"job*","exitCode":1},{"glob":"slow/*","pullDelay":"5s"},{"glob":"bad*","failStart":true},{"glob":"flaky*","unhealthyAfter":"30s"}]`,
	"POST /_sim/images":     "add one behaviour (first match wins)",
	"POST /_sim/advance":    `move a manual clock: {"duration":"5s"}`,
	"POST /_sim/hosts":      `add an active host: {"labels":{"role":"frontend"}}`,
	"GET /_sim/state":       "stacks, services and containers with their states, for debugging",
	"POST /_sim/revoke":     `revoke an API key: {"accessKey":"KEY"}; its requests get 401 from now on`,
	"POST /_sim/crash":      `a running container exits by itself: {"id":"1i3","exitCode":137}; its active service restarts it`,
	"POST /_sim/removehost": `lose a host: {"id":"1h2"}; its containers vanish and services reconcile elsewhere`,
}
