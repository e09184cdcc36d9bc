package swarm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// MinAPIVersion is the oldest Engine API the engine accepts: Placement.MaxReplicas needs 1.40.
const MinAPIVersion = "1.40"

// MaxAPIVersion is the newest Engine API the engine asks for; the daemon's own maximum is used when lower.
const MaxAPIVersion = "1.41"

// DefaultHost is the Docker daemon's default endpoint.
const DefaultHost = "unix:///var/run/docker.sock"

// Endpoint says where the Docker daemon is, following Docker's environment conventions.
type Endpoint struct {
	// Host is DOCKER_HOST: unix:///path or tcp://host:port ("" means DefaultHost).
	Host string
	// TLSVerify is DOCKER_TLS_VERIFY (non-empty): use TLS and verify the daemon's certificate.
	TLSVerify bool
	// CertPath is DOCKER_CERT_PATH: the directory holding ca.pem, cert.pem and key.pem.
	CertPath string
	// Verbose, when set, receives one line per request: method, path, status, time (--verbose). Bodies are
	// never logged: a service spec carries environment values.
	Verbose io.Writer
}

// EndpointFromEnv reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH through getenv.
func EndpointFromEnv(getenv func(string) string) Endpoint {
	e := Endpoint{Host: getenv("DOCKER_HOST"), TLSVerify: getenv("DOCKER_TLS_VERIFY") != "", CertPath: getenv("DOCKER_CERT_PATH")}
	if e.CertPath == "" && e.TLSVerify {
		if home, err := os.UserHomeDir(); err == nil {
			e.CertPath = filepath.Join(home, ".docker")
		}
	}
	return e
}

// Client is a typed Docker Engine API client. It is safe for concurrent use.
type Client struct {
	http *resty.Client
	// API is the negotiated API version ("1.41").
	API string
	// ClockOffset is the daemon's clock minus ours, measured from the Date header of /_ping; zero when
	// under two seconds (the header has a one-second resolution).
	ClockOffset time.Duration
}

// Connect opens a client to ep and negotiates the API version from /_ping. Errors: *UnreachableError (exit 5)
// when the daemon cannot be reached or is too old, *UsageError-like *EndpointError (exit 2) for a bad endpoint.
func Connect(ctx context.Context, ep Endpoint) (*Client, error) {
	base, tr, err := transportFor(ep)
	if err != nil {
		return nil, err
	}
	r := resty.New().SetTransport(tr).SetBaseURL(base).SetTimeout(60*time.Second).
		SetHeader("User-Agent", "rancher-compose-swarm")
	if ep.Verbose != nil {
		r.OnAfterResponse(func(_ *resty.Client, resp *resty.Response) error {
			fmt.Fprintf(ep.Verbose, "docker: %s %s → %d (%s)\n", resp.Request.Method, resp.Request.RawRequest.URL.Path, resp.StatusCode(), resp.Time().Round(time.Millisecond))
			return nil
		})
	}
	c := &Client{http: r}
	if err := c.negotiate(ctx, base, ep); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) negotiate(ctx context.Context, base string, ep Endpoint) error {
	resp, err := c.http.R().SetContext(ctx).Get("/_ping")
	if err != nil {
		return &UnreachableError{Host: displayHost(ep), Err: err}
	}
	if resp.StatusCode() != http.StatusOK {
		return &UnreachableError{Host: displayHost(ep), Err: fmt.Errorf("/_ping answered %s", resp.Status())}
	}
	daemon := resp.Header().Get("Api-Version")
	if daemon == "" {
		return &UnreachableError{Host: displayHost(ep), Err: fmt.Errorf("/_ping sent no Api-Version header: not a Docker daemon?")}
	}
	if versionLess(daemon, MinAPIVersion) {
		return &UnreachableError{Host: displayHost(ep), Err: fmt.Errorf("the daemon speaks Engine API %s; Swarm deploys need %s or newer (Docker 19.03+)", daemon, MinAPIVersion)}
	}
	c.API = MaxAPIVersion
	if versionLess(daemon, MaxAPIVersion) {
		c.API = daemon
	}
	if d, err := http.ParseTime(resp.Header().Get("Date")); err == nil {
		if off := time.Until(d); off > 2*time.Second || off < -2*time.Second {
			c.ClockOffset = off
		}
	}
	c.http.SetBaseURL(base + "/v" + c.API)
	return nil
}

// transportFor builds the base URL and HTTP transport for an endpoint.
func transportFor(ep Endpoint) (string, *http.Transport, error) {
	host := ep.Host
	if host == "" {
		host = DefaultHost
	}
	u, err := url.Parse(host)
	if err != nil {
		return "", nil, &EndpointError{Host: host, Reason: err.Error()}
	}
	switch u.Scheme {
	case "unix":
		path := u.Path
		tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		}}
		return "http://docker", tr, nil
	case "tcp", "http", "https":
		if u.Host == "" {
			return "", nil, &EndpointError{Host: host, Reason: "no host:port"}
		}
		tr := &http.Transport{Proxy: http.ProxyFromEnvironment}
		scheme := "http"
		if ep.TLSVerify || u.Scheme == "https" {
			cfg, err := tlsConfig(ep.CertPath)
			if err != nil {
				return "", nil, &EndpointError{Host: host, Reason: err.Error()}
			}
			tr.TLSClientConfig = cfg
			scheme = "https"
		}
		return scheme + "://" + u.Host, tr, nil
	}
	return "", nil, &EndpointError{Host: host, Reason: "scheme must be unix:// or tcp://"}
}

// tlsConfig loads ca.pem, cert.pem and key.pem from dir, as the docker CLI does.
func tlsConfig(dir string) (*tls.Config, error) {
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, fmt.Errorf("DOCKER_TLS_VERIFY is set: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("%s holds no PEM certificate", filepath.Join(dir, "ca.pem"))
	}
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	if err != nil {
		return nil, fmt.Errorf("DOCKER_TLS_VERIFY is set: %w", err)
	}
	return &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

func displayHost(ep Endpoint) string {
	if ep.Host == "" {
		return DefaultHost
	}
	return ep.Host
}

// versionLess compares dotted API versions numerically ("1.9" < "1.41").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// RequireManager fails with an *UnreachableError (exit 5) unless the daemon is a swarm manager: deploys
// need one, and a daemon outside swarm mode answers every service call with 503.
func (c *Client) RequireManager(ctx context.Context) error {
	st, err := c.Swarm(ctx)
	if err != nil {
		return err
	}
	switch {
	case st.LocalNodeState != "active":
		return &UnreachableError{Err: fmt.Errorf("swarm mode is %s: run `docker swarm init --advertise-addr 127.0.0.1` (or join a swarm as a manager)", nonEmptyState(st.LocalNodeState))}
	case !st.ControlAvailable:
		return &UnreachableError{Err: fmt.Errorf("this node is a swarm worker; point DOCKER_HOST at a manager")}
	}
	return nil
}

func nonEmptyState(s string) string {
	if s == "" {
		return "off"
	}
	return s
}
