package rancher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Client talks to one Rancher environment. It is safe for concurrent use.
type Client struct {
	cfg   Config
	http  *resty.Client
	stats *counters
	log   *exchangeLogger
	url   string // the normalized URL the client started from
	// schemasURL is the schemas' self link; types holds what the client uses of each schema.
	schemasURL string
	types      map[string]schemaUse
	project    *resources.Project
	version    string // the server's version as discovery saw it (see ServerVersion)
	early      earlyGets
}

// schemaUse is the part of a type's schema the client uses: its collection link and the methods the key
// may use. The rest of the schema document (fields, actions, filters: about 400 KB of JSON, over a MB
// decoded) is skipped while decoding rather than kept for the whole run.
type schemaUse struct {
	Id                string            `json:"id"`
	Links             map[string]string `json:"links"`
	CollectionMethods []string          `json:"collectionMethods"`
	ResourceMethods   []string          `json:"resourceMethods"`
}

// schemaCollection is the schema collection served at the URL the X-API-Schemas header names.
type schemaCollection struct {
	Type  string            `json:"type"`
	Links map[string]string `json:"links"`
	Data  []schemaUse       `json:"data"`
}

// New connects: it normalizes cfg.URL, discovers the schemas through X-API-Schemas and, when
// cfg.Environment is set, switches to that environment. Errors: *ConfigError (exit 2), *APIError (401/403
// carry a hint about key kinds, exit 5), *UnreachableError (exit 5).
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	normalized, user, err := NormalizeURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if user != nil && cfg.AccessKey == "" {
		cfg.AccessKey = user.Username()
		cfg.SecretKey, _ = user.Password()
	}
	c := &Client{cfg: cfg, stats: &counters{}, url: normalized}
	if cfg.Verbose != nil {
		c.log = &exchangeLogger{w: cfg.Verbose, redact: newRedactor(cfg.SecretKey), now: time.Now}
	}
	c.http = newHTTP(cfg, c.stats, c.log)
	if err := c.discover(ctx, discoveryURL(normalized)); err != nil {
		return nil, err
	}
	if cfg.Environment != "" {
		if err := c.selectEnvironment(ctx, cfg.Environment); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Stats returns what the client has sent so far.
func (c *Client) Stats() Stats { return c.stats.snapshot() }

// URL is the normalized API URL the client started from.
func (c *Client) URL() string { return c.url }

// SchemasURL is the URL of the schemas in use (project-scoped after --env).
func (c *Client) SchemasURL() string { return c.schemasURL }

// Project is the environment chosen with --env, or nil when the key's own scope is used.
func (c *Client) Project() *resources.Project { return c.project }

// CanCreate reports whether the key may create resources of typ here (POST in collectionMethods).
func (c *Client) CanCreate(typ string) bool {
	s, ok := c.types[typ]
	return ok && resources.HasMethod(s.CollectionMethods, http.MethodPost)
}

// discover fetches the schemas the way go-rancher did: GET the URL, follow X-API-Schemas if it names
// another URL, and index the schema collection by type id. The schemas of a version root (/v2-beta) and the
// look-up of the run's stack are asked for alongside it (prefetchDiscovery), which saves a round trip each.
// A server that answers but not as a Rancher API gives a *NotAnAPIError.
func (c *Client) discover(ctx context.Context, apiURL string) error {
	c.prefetchDiscovery(ctx, apiURL)
	resp, err := c.exchange(ctx, http.MethodGet, apiURL, nil, retryIdempotent)
	if err != nil {
		return notAnAPI(apiURL, err)
	}
	schemasURL := resp.header.Get("X-API-Schemas")
	if schemasURL == "" {
		return &NotAnAPIError{URL: redactURL(apiURL), Why: "the answer has no X-API-Schemas header"}
	}
	schemasURL = resolveURL(apiURL, schemasURL)
	version := resp.header.Get("X-Rancher-Version")
	body := resp.body
	if schemasURL != apiURL {
		if resp, err = c.exchange(ctx, http.MethodGet, schemasURL, nil, retryIdempotent); err != nil {
			return notAnAPI(schemasURL, err)
		}
		body = resp.body
	}
	var schemas schemaCollection
	if err := json.Unmarshal(body, &schemas); err != nil || schemas.Type != "collection" {
		return &NotAnAPIError{URL: redactURL(schemasURL), Why: "the answer is not a schema collection"}
	}
	c.schemasURL = schemas.Links["self"]
	if c.schemasURL == "" {
		c.schemasURL = schemasURL
	}
	c.version = serverVersion(version, body)
	c.types = make(map[string]schemaUse, len(schemas.Data))
	for _, s := range schemas.Data {
		c.types[s.Id] = s
	}
	return nil
}

// notAnAPI turns the failure of a discovery GET into a *NotAnAPIError when the server answered, but with a
// page that is not the API's (a 404, or not JSON); refused keys, proxies' 5xx and no answer stay as they are.
func notAnAPI(rawURL string, err error) error {
	var apiErr *APIError
	switch {
	case !errors.As(err, &apiErr):
		return err
	case apiErr.Problem != "":
		return &NotAnAPIError{URL: redactURL(rawURL), Why: apiErr.Problem}
	case apiErr.Status == http.StatusNotFound:
		return &NotAnAPIError{URL: redactURL(rawURL), Why: fmt.Sprintf("%d %s", apiErr.Status, statusText(apiErr.Status))}
	}
	return err
}

// exchange sends one request (retried by the transport per mode) and turns failures into errors:
// *APIError for non-2xx answers, *UnreachableError when no answer came, the context's error when the
// caller's context ended.
func (c *Client) exchange(ctx context.Context, method, rawURL string, body []byte, mode retryMode) (*answer, error) {
	if method == http.MethodGet && mode == retryIdempotent {
		if resp, ok := c.early.take(ctx, rawURL); ok {
			return resp, nil
		}
	}
	req := c.http.R().SetContext(withRetryMode(ctx, mode)).SetDoNotParseResponse(true) // the body is bodyOf's
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	resp, err := req.Execute(method, rawURL)
	if err != nil {
		return nil, c.transportError(ctx, method, rawURL, err)
	}
	data, err := bodyOf(resp.RawBody())
	if err != nil {
		return nil, c.transportError(ctx, method, rawURL, err)
	}
	if resp.StatusCode() >= 300 {
		return nil, parseAPIError(method, rawURL, resp.StatusCode(), data, c.cfg.AccessKey)
	}
	return &answer{header: resp.Header(), body: data}, nil
}

// answer is a successful exchange: the answer's headers and its body, read whole.
type answer struct {
	header http.Header
	body   []byte
}

func (c *Client) transportError(ctx context.Context, method, rawURL string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", method, redactURL(rawURL), ctxErr)
	}
	var bad *answerError
	if errors.As(err, &bad) && bad.Status != 0 {
		return &APIError{Method: method, URL: redactURL(rawURL), Status: bad.Status, Problem: bad.Problem, Attempts: bad.Attempts}
	}
	msg := err.Error()
	if bad == nil && strings.Contains(msg, "Client.Timeout exceeded") || strings.Contains(msg, "context deadline exceeded") {
		err = errRequestTimeout{cause: fmt.Sprintf("%s per attempt", c.cfg.RequestTimeout)}
	}
	return &UnreachableError{Method: method, URL: redactURL(rawURL), Err: unwrapURLError(err)}
}

// unwrapURLError drops net/url's "Get \"...\":" wrapper; the URL is already in UnreachableError.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// getJSON GETs a URL and decodes it into out.
func (c *Client) getJSON(ctx context.Context, rawURL string, out any) error {
	return c.doJSON(ctx, http.MethodGet, rawURL, nil, out, retryIdempotent)
}

// doJSON sends body as JSON (nil: no body) and decodes the answer into out (nil: ignore it).
func (c *Client) doJSON(ctx context.Context, method, rawURL string, body any, out any, mode retryMode) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, redactURL(rawURL), err)
		}
	}
	resp, err := c.exchange(ctx, method, rawURL, payload, mode)
	if err != nil {
		return err
	}
	return decodeInto(method, rawURL, resp.body, out)
}

func decodeInto(method, rawURL string, body []byte, out any) error {
	if out == nil || len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return &APIError{Method: method, URL: redactURL(rawURL), Status: http.StatusOK, Attempts: 1,
				Problem: fmt.Sprintf("not valid JSON (%v, %d bytes)", err, len(body))}
		}
		return fmt.Errorf("decoding the answer of %s %s: %w", method, redactURL(rawURL), err)
	}
	return nil
}
