package rancher

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Exit codes chosen by the errors of this package (they match cmd's ExitCode constants).
const (
	exitFailed      = 1
	exitConfig      = 2
	exitUnreachable = 5
)

// APIError is a non-2xx answer of the API, parsed from its error JSON
// ({"type":"error","status":422,"code":"NotUnique","fieldName":"name",...}).
type APIError struct {
	Status    int    // HTTP status code
	Code      string // API error code (NotUnique, InvalidState, Unauthorized...) or the reason phrase
	Message   string
	FieldName string // the offending field; Cattle often puts a human message here
	Detail    string
	URL       string // request URL (credentials removed)
	Method    string
	// AccessKey is the key that was used, quoted by the 401/403 hint.
	AccessKey string
	// Problem, when set, says why the answer was unusable (a truncated body, not JSON, no data for 30s):
	// Status is then what its headers said, not to be trusted, and Attempts how many answers were tried.
	Problem  string
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Problem != "" {
		fmt.Fprintf(&b, "%s %s: unusable answer (%d %s) after %s: %s", e.Method, e.URL, e.Status, statusText(e.Status), plural(e.Attempts, "attempt"), e.Problem)
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.Status, statusText(e.Status))
	var parts []string
	if e.Code != "" && e.Code != statusText(e.Status) && e.Code != fmt.Sprintf("%d %s", e.Status, statusText(e.Status)) {
		parts = append(parts, "code="+e.Code)
	}
	if e.Message != "" && e.Message != e.Code && e.Message != statusText(e.Status) {
		parts = append(parts, "message="+e.Message)
	}
	if e.FieldName != "" {
		parts = append(parts, "fieldName="+e.FieldName)
	}
	if e.Detail != "" {
		parts = append(parts, "detail="+e.Detail)
	}
	if len(parts) > 0 {
		b.WriteString(" [" + strings.Join(parts, ", ") + "]")
	}
	if hint := e.hint(); hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

func (e *APIError) hint() string {
	key := ""
	if e.AccessKey != "" {
		key = fmt.Sprintf(" %q", e.AccessKey)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("the Rancher API refused the API key%s; check RANCHER_ACCESS_KEY/RANCHER_SECRET_KEY (--access-key/--secret-key). "+
			"Use an environment API key, or an account API key together with --env NAME|ID", key)
	case http.StatusForbidden:
		return fmt.Sprintf("the API key%s may not do this here. An environment API key only works in its own environment; "+
			"an account API key needs --env NAME|ID (or a /v2-beta/projects/<id> URL) naming an environment it is a member of", key)
	}
	return ""
}

// ExitCode is 5 when the credentials were refused (401/403), the API is unavailable behind its proxy
// (502/503/504 after every retry) or its answers were unusable, 1 otherwise.
func (e *APIError) ExitCode() int {
	if e.Problem != "" {
		return exitUnreachable
	}
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return exitUnreachable
	}
	return exitFailed
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "status code " + fmt.Sprint(code)
}

// parseAPIError builds an APIError from a response; a body that is not the API's error JSON (a proxy's
// HTML page) becomes the Message, shortened.
func parseAPIError(method, rawURL string, status int, body []byte, accessKey string) *APIError {
	e := &APIError{Status: status, Method: method, URL: redactURL(rawURL), AccessKey: accessKey}
	var doc struct {
		Code      any             `json:"code"`
		Message   any             `json:"message"`
		FieldName any             `json:"fieldName"`
		Detail    json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &doc) != nil {
		e.Code = statusText(status)
		e.Message = truncate(strings.TrimSpace(string(body)), 200)
		return e
	}
	e.Code, e.Message, e.FieldName = stringOf(doc.Code), stringOf(doc.Message), stringOf(doc.FieldName)
	if d := strings.TrimSpace(string(doc.Detail)); d != "" && d != "null" {
		var s string
		if json.Unmarshal(doc.Detail, &s) == nil {
			d = s
		}
		e.Detail = truncate(d, 500)
	}
	return e
}

func stringOf(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	default:
		return fmt.Sprint(t)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// statusOf returns the HTTP status of an APIError in err's chain, or 0 (also for an unusable answer,
// whose status cannot be trusted).
func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) && e.Problem == "" {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports whether err is a 409 answer (resource busy, state changed under the request).
func IsConflict(err error) bool { return statusOf(err) == http.StatusConflict }

// IsUnauthorized reports whether the credentials were refused (401) or not allowed here (403).
func IsUnauthorized(err error) bool {
	s := statusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// IsUnprocessable reports whether err is a 422 validation error; code, when not empty, must match too.
func IsUnprocessable(err error, code string) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusUnprocessableEntity && (code == "" || e.Code == code)
}

// UnreachableError means no HTTP answer came back: connection refused, DNS failure, TLS failure or no
// answer within the request timeout, after every retry.
type UnreachableError struct {
	Method string
	URL    string
	Err    error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the Rancher API: %s %s: %v", e.Method, e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// ExitCode is 5: the API is unreachable.
func (e *UnreachableError) ExitCode() int { return exitUnreachable }

// IsUnreachable reports whether err means the API could not be reached.
func IsUnreachable(err error) bool {
	var e *UnreachableError
	return errors.As(err, &e)
}

// NotAnAPIError means RANCHER_URL answers, but not as a Rancher API: there are no schemas there.
type NotAnAPIError struct {
	URL string // where the schemas were looked for (credentials removed)
	Why string // what was found instead, never the page itself
}

func (e *NotAnAPIError) Error() string {
	return fmt.Sprintf("this does not look like a Rancher API (no schemas at %s: %s); is RANCHER_URL a Rancher API URL "+
		"such as http://rancher:8080 or http://rancher:8080/v2-beta/projects/1a5?", e.URL, e.Why)
}

// ExitCode is 5, as for an unreachable API.
func (e *NotAnAPIError) ExitCode() int { return exitUnreachable }

// ConfigError is a configuration mistake found before or while connecting (no URL, a malformed URL, an
// unknown --env). Nothing was changed.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// ExitCode is 2, the usage/configuration code.
func (e *ConfigError) ExitCode() int { return exitConfig }

// ActionUnavailableError means an action is not in the resource's actions map (its state does not allow
// it). The request was not sent.
type ActionUnavailableError struct {
	Action    string
	Resource  string // "service \"web\" (1s3)"
	State     string
	Available []string
}

func (e *ActionUnavailableError) Error() string {
	avail := "none"
	if len(e.Available) > 0 {
		avail = strings.Join(e.Available, ", ")
	}
	return fmt.Sprintf("action %q is not available on %s in state %q (available: %s)", e.Action, e.Resource, e.State, avail)
}

// TransitionError means a resource ended its transition with transitioning "error".
type TransitionError struct {
	Resource string
	State    string
	Message  string
}

func (e *TransitionError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message from the server"
	}
	return fmt.Sprintf("%s failed in state %q: %s", e.Resource, e.State, msg)
}

// WaitError means a wait ended because its context was done (deadline or interrupt) before the resource
// settled. It wraps the context's error, so errors.Is(err, context.DeadlineExceeded) holds on a timeout.
type WaitError struct {
	Resource string
	State    string
	Message  string
	Err      error
}

func (e *WaitError) Error() string {
	s := fmt.Sprintf("waiting for %s: still %q", e.Resource, e.State)
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	return s + ": " + e.Err.Error()
}

func (e *WaitError) Unwrap() error { return e.Err }

// errRequestTimeout stands for one HTTP attempt that got no answer in time; it deliberately does not
// wrap context.DeadlineExceeded, which is reserved for the command's own deadline.
type errRequestTimeout struct{ cause string }

func (e errRequestTimeout) Error() string {
	return "no answer within the request timeout (" + e.cause + ")"
}

// isTransient reports whether a failed call may succeed when repeated.
func isTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	switch statusOf(err) {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusTooManyRequests:
		return true
	case 0:
	default:
		return false
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return !isPermanentNetError(ue.Err)
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.Problem != ""
}

// isUnsent reports whether a transport error happened before the request could reach the server
// (the connection was never established), so repeating a POST cannot duplicate anything.
func isUnsent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

func isPermanentNetError(err error) bool {
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr x509.CertificateInvalidError
	var recErr tls.RecordHeaderError
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsNotFound
	}
	return errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) || errors.As(err, &recErr) ||
		strings.Contains(err.Error(), "unsupported protocol scheme")
}
