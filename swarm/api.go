package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-resty/resty/v2"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// SwarmState is the part of /info the engine needs.
type SwarmState struct {
	NodeID           string
	LocalNodeState   string
	ControlAvailable bool
}

// Network is the part of a network the engine needs.
type Network struct {
	ID         string `json:"Id"`
	Name       string
	Driver     string
	Scope      string
	Attachable bool
	Labels     map[string]string
}

// Swarm returns the daemon's swarm state ("inactive", "active", ...) and whether it is a manager.
func (c *Client) Swarm(ctx context.Context) (SwarmState, error) {
	var info struct{ Swarm SwarmState }
	err := c.do(ctx, http.MethodGet, "/info", nil, nil, &info)
	return info.Swarm, err
}

// Services lists the services carrying every label in labels ("k=v" or "k").
func (c *Client) Services(ctx context.Context, labels ...string) ([]swarmtypes.Service, error) {
	var out []swarmtypes.Service
	err := c.do(ctx, http.MethodGet, "/services", labelFilter(labels), nil, &out)
	return out, err
}

// Service inspects one service by id or name.
func (c *Client) Service(ctx context.Context, id string) (swarmtypes.Service, error) {
	var out swarmtypes.Service
	err := c.do(ctx, http.MethodGet, "/services/"+url.PathEscape(id), nil, nil, &out)
	return out, err
}

// CreateService creates a service and returns its id.
func (c *Client) CreateService(ctx context.Context, spec swarmtypes.ServiceSpec) (string, error) {
	var out swarmtypes.ServiceCreateResponse
	err := c.do(ctx, http.MethodPost, "/services/create", nil, spec, &out)
	return out.ID, err
}

// UpdateService replaces a service's spec; version is the Meta.Version.Index the spec was read at.
func (c *Client) UpdateService(ctx context.Context, id string, version uint64, spec swarmtypes.ServiceSpec) ([]string, error) {
	q := url.Values{"version": {strconv.FormatUint(version, 10)}}
	var out swarmtypes.ServiceUpdateResponse
	err := c.do(ctx, http.MethodPost, "/services/"+url.PathEscape(id)+"/update", q, spec, &out)
	return out.Warnings, err
}

// RemoveService deletes a service; a service already gone is not an error.
func (c *Client) RemoveService(ctx context.Context, id string) error {
	return ignoreNotFound(c.do(ctx, http.MethodDelete, "/services/"+url.PathEscape(id), nil, nil, nil))
}

// Tasks lists the tasks of a service (all states, newest history included).
func (c *Client) Tasks(ctx context.Context, serviceID string) ([]swarmtypes.Task, error) {
	f, _ := json.Marshal(map[string][]string{"service": {serviceID}})
	var out []swarmtypes.Task
	err := c.do(ctx, http.MethodGet, "/tasks", url.Values{"filters": {string(f)}}, nil, &out)
	return out, err
}

// Networks lists the networks carrying every label in labels.
func (c *Client) Networks(ctx context.Context, labels ...string) ([]Network, error) {
	var out []Network
	err := c.do(ctx, http.MethodGet, "/networks", labelFilter(labels), nil, &out)
	return out, err
}

// CreateNetwork creates a network and returns its id.
func (c *Client) CreateNetwork(ctx context.Context, req network.CreateRequest) (string, error) {
	var out network.CreateResponse
	err := c.do(ctx, http.MethodPost, "/networks/create", nil, req, &out)
	return out.ID, err
}

// RemoveNetwork deletes a network by id or name. It answers 404 when the network is gone.
func (c *Client) RemoveNetwork(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/networks/"+url.PathEscape(id), nil, nil, nil)
}

// NetworkExists reports whether a network (id or name) is still there.
func (c *Client) NetworkExists(ctx context.Context, id string) (bool, error) {
	err := c.do(ctx, http.MethodGet, "/networks/"+url.PathEscape(id), nil, nil, nil)
	if apiErr, ok := err.(*APIError); ok && apiErr.NotFound() {
		return false, nil
	}
	return err == nil, err
}

// ContainerHealth returns a container's health (nil when it has no health check).
func (c *Client) ContainerHealth(ctx context.Context, id string) (*container.Health, error) {
	var out struct{ State *container.State }
	if err := c.do(ctx, http.MethodGet, "/containers/"+url.PathEscape(id)+"/json", nil, nil, &out); err != nil {
		return nil, err
	}
	if out.State == nil {
		return nil, nil
	}
	return out.State.Health, nil
}

// ImagePresent reports whether the daemon holds the image locally.
func (c *Client) ImagePresent(ctx context.Context, ref string) (bool, error) {
	err := c.do(ctx, http.MethodGet, "/images/"+ref+"/json", nil, nil, nil)
	if apiErr, ok := err.(*APIError); ok && apiErr.NotFound() {
		return false, nil
	}
	return err == nil, err
}

// BuildImage builds an image from a tar build context (Dockerfile at its root) and tags it.
func (c *Client) BuildImage(ctx context.Context, tag string, context io.Reader) error {
	resp, err := c.http.R().SetContext(ctx).SetHeader("Content-Type", "application/x-tar").
		SetQueryParams(map[string]string{"t": tag, "rm": "1", "forcerm": "1"}).SetBody(context).
		SetDoNotParseResponse(true).Post("/build")
	if err != nil {
		return fmt.Errorf("building %s: %w", tag, err)
	}
	body := resp.RawBody()
	defer body.Close()
	return streamError("/build", tag, resp.StatusCode(), body)
}

// streamError reads the JSON message stream of /build or /images/create and returns its error, if any.
func streamError(path, tag string, status int, body io.Reader) error {
	data, _ := io.ReadAll(body)
	if status/100 != 2 {
		return &APIError{Method: http.MethodPost, Path: path, Status: status, Message: apiMessage(data)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var m struct{ Error string }
		if err := dec.Decode(&m); err != nil {
			return nil
		}
		if m.Error != "" {
			return fmt.Errorf("%s: %s", tag, m.Error)
		}
	}
}

// RemoveImage deletes an image (forced); an image already gone is not an error.
func (c *Client) RemoveImage(ctx context.Context, ref string) error {
	return ignoreNotFound(c.do(ctx, http.MethodDelete, "/images/"+ref, url.Values{"force": {"1"}}, nil, nil))
}

// do sends one request and decodes a 2xx JSON answer into out; other answers become *APIError.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body, out any) error {
	req := c.http.R().SetContext(ctx)
	if q != nil {
		req.SetQueryParamsFromValues(q)
	}
	if body != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(body)
	} else if method == http.MethodPost {
		req.SetBody([]byte{}) // resty would send an empty chunked body, which /containers/{id}/start refuses
	}
	resp, err := req.Execute(method, path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return decodeAnswer(resp, method, path, out)
}

func decodeAnswer(resp *resty.Response, method, path string, out any) error {
	if resp.StatusCode() == http.StatusNotModified {
		return nil // already in the asked state (start/stop)
	}
	if resp.StatusCode()/100 != 2 {
		return &APIError{Method: method, Path: path, Status: resp.StatusCode(), Message: apiMessage(resp.Body())}
	}
	if out == nil || len(resp.Body()) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
	}
	return nil
}

// apiMessage extracts {"message": ...} from an error body, or returns the body.
func apiMessage(body []byte) string {
	var m struct{ Message string }
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		return m.Message
	}
	return string(body)
}

func labelFilter(labels []string) url.Values {
	if len(labels) == 0 {
		return nil
	}
	f, _ := json.Marshal(map[string][]string{"label": labels})
	return url.Values{"filters": {string(f)}}
}

func ignoreNotFound(err error) error {
	if apiErr, ok := err.(*APIError); ok && apiErr.NotFound() {
		return nil
	}
	return err
}

// Configs lists the Swarm configs carrying every label in labels.
func (c *Client) Configs(ctx context.Context, labels ...string) ([]swarmtypes.Config, error) {
	var out []swarmtypes.Config
	err := c.do(ctx, http.MethodGet, "/configs", labelFilter(labels), nil, &out)
	return out, err
}

// Config inspects a config by id or name.
func (c *Client) Config(ctx context.Context, id string) (swarmtypes.Config, error) {
	var out swarmtypes.Config
	err := c.do(ctx, http.MethodGet, "/configs/"+url.PathEscape(id), nil, nil, &out)
	return out, err
}

// CreateConfig creates a config and returns its id (409 when the name is taken).
func (c *Client) CreateConfig(ctx context.Context, spec swarmtypes.ConfigSpec) (string, error) {
	var out swarmtypes.ConfigCreateResponse
	err := c.do(ctx, http.MethodPost, "/configs/create", nil, spec, &out)
	return out.ID, err
}

// UpdateConfig replaces a config's labels (the only part Swarm lets change); version is compare-and-swap.
func (c *Client) UpdateConfig(ctx context.Context, id string, version uint64, spec swarmtypes.ConfigSpec) error {
	q := url.Values{"version": {strconv.FormatUint(version, 10)}}
	return c.do(ctx, http.MethodPost, "/configs/"+url.PathEscape(id)+"/update", q, spec, nil)
}

// RemoveConfig deletes a config; one already gone is not an error.
func (c *Client) RemoveConfig(ctx context.Context, id string) error {
	return ignoreNotFound(c.do(ctx, http.MethodDelete, "/configs/"+url.PathEscape(id), nil, nil, nil))
}

// Nodes lists the swarm's nodes.
func (c *Client) Nodes(ctx context.Context) ([]swarmtypes.Node, error) {
	var out []swarmtypes.Node
	err := c.do(ctx, http.MethodGet, "/nodes", nil, nil, &out)
	return out, err
}

// ServiceLogs copies a service's log stream (stdout and stderr, demultiplexed) to w. tail < 0 means all.
func (c *Client) ServiceLogs(ctx context.Context, id string, tail int, follow, timestamps bool, w io.Writer) error {
	q := map[string]string{"stdout": "1", "stderr": "1", "follow": strconv.FormatBool(follow), "timestamps": strconv.FormatBool(timestamps)}
	if tail >= 0 {
		q["tail"] = strconv.Itoa(tail)
	}
	resp, err := c.http.R().SetContext(ctx).SetQueryParams(q).SetDoNotParseResponse(true).Get("/services/" + url.PathEscape(id) + "/logs")
	if err != nil {
		return fmt.Errorf("logs of %s: %w", id, err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode()/100 != 2 {
		data, _ := io.ReadAll(body)
		return &APIError{Method: http.MethodGet, Path: "/services/" + id + "/logs", Status: resp.StatusCode(), Message: apiMessage(data)}
	}
	return demuxStream(body, w)
}

// demuxStream copies a multiplexed stdout/stderr stream (8-byte frame headers) to w.
func demuxStream(r io.Reader, w io.Writer) error {
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			return err
		}
		n := int64(hdr[4])<<24 | int64(hdr[5])<<16 | int64(hdr[6])<<8 | int64(hdr[7])
		if _, err := io.CopyN(w, r, n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// PullImage asks the daemon to pull an image; the error is the registry's, reported inside the stream.
func (c *Client) PullImage(ctx context.Context, ref string) error {
	repo, tag := splitRef(ref)
	resp, err := c.http.R().SetContext(ctx).SetQueryParams(map[string]string{"fromImage": repo, "tag": tag}).
		SetBody([]byte{}).SetDoNotParseResponse(true).Post("/images/create")
	if err != nil {
		return fmt.Errorf("pulling %s: %w", ref, err)
	}
	body := resp.RawBody()
	defer body.Close()
	return streamError("/images/create", ref, resp.StatusCode(), body)
}

// splitRef splits "repo[:tag][@digest]" into the repository and the tag (default latest).
func splitRef(ref string) (string, string) {
	if at := strings.Index(ref, "@"); at >= 0 {
		return ref[:at], ref[at+1:]
	}
	slash := strings.LastIndex(ref, "/")
	if colon := strings.LastIndex(ref, ":"); colon > slash {
		return ref[:colon], ref[colon+1:]
	}
	return ref, "latest"
}
