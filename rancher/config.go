package rancher

import (
	"context"
	"io"
	"net/http"
	"time"
)

// Config holds everything needed to talk to the API. Build it with ConfigFromEnv and ApplyFlags; the zero
// values of the tuning fields mean the defaults below.
type Config struct {
	// URL is RANCHER_URL/--url: a server (http://h:8080), a version root, a project or a schemas URL.
	URL string
	// AccessKey and SecretKey are the API key (HTTP basic auth).
	AccessKey string
	SecretKey string
	// Environment (--env, RANCHER_ENVIRONMENT) selects an environment (project) by name or id.
	Environment string
	// Timeout is the overall deadline of a command; see Config.Context. Zero means none.
	Timeout time.Duration
	// RequestTimeout bounds one HTTP attempt, answer included (default 2m; the original used a fixed 10s).
	RequestTimeout time.Duration
	// ReadTimeout abandons an attempt that receives no data for this long, waiting for the headers or
	// within the body (default 30s, RANCHER_COMPOSE_READ_TIMEOUT); idempotent requests are then retried.
	ReadTimeout time.Duration
	// MaxAnswerBytes caps the body of one answer (default 64 MiB): a longer one, such as the endless body of
	// a broken proxy, fails the attempt instead of growing memory.
	MaxAnswerBytes int64
	// Verbose, when set, receives one record per HTTP exchange, with secrets redacted.
	Verbose io.Writer
	// Warnings, when set, receives warnings for the user (credentials sent in clear text), once each.
	Warnings io.Writer
	// UserAgent is sent with every request (default "rancher-compose").
	UserAgent string
	// Retry bounds the retries of transient failures.
	Retry RetryPolicy
	// Poll paces WaitTransition.
	Poll PollPolicy
	// Transport replaces the HTTP transport under the retry layer (tests; nil = a pooled transport).
	Transport http.RoundTripper
	// StackLookup names the stack the run looks up first (Stacks().ByName with no other filter); without
	// --env, that look-up is sent with discovery, a round trip earlier ("": none).
	StackLookup string
}

// RetryPolicy bounds the retries of transient failures (connection errors, 502/503/504, 409 on actions).
type RetryPolicy struct {
	// Attempts is the total number of tries, the first included (default 6).
	Attempts int
	// MinBackoff is the first wait, doubled on each retry up to MaxBackoff (defaults 200ms and 5s).
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// PollPolicy paces WaitTransition: the first poll after Min, then each wait multiplied by Factor, at most Max.
// The defaults (100ms x1.5 up to 1s) poll 5 times for a 1s transition and 14 for 10s where the original's
// fixed 150ms polled 7 and 67 times, and notice the end at most about 0.3s late (see TestPollFigures).
type PollPolicy struct {
	Min    time.Duration // default 100ms
	Max    time.Duration // default 1s
	Factor float64       // default 1.5
}

// Defaults used when a Config field is zero.
const (
	DefaultRequestTimeout = 2 * time.Minute
	DefaultReadTimeout    = 30 * time.Second
	DefaultMaxAnswerBytes = 64 << 20
	DefaultUserAgent      = "rancher-compose"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvURL         = "RANCHER_URL"
	EnvAccessKey   = "RANCHER_ACCESS_KEY"
	EnvSecretKey   = "RANCHER_SECRET_KEY"
	EnvEnvironment = "RANCHER_ENVIRONMENT"
)

// ConfigFromEnv reads RANCHER_URL, RANCHER_ACCESS_KEY, RANCHER_SECRET_KEY and RANCHER_ENVIRONMENT through
// lookup (os.LookupEnv in production), so tests never touch the process environment.
func ConfigFromEnv(lookup func(string) (string, bool)) Config {
	get := func(k string) string {
		v, _ := lookup(k)
		return v
	}
	return Config{
		URL:         get(EnvURL),
		AccessKey:   get(EnvAccessKey),
		SecretKey:   get(EnvSecretKey),
		Environment: get(EnvEnvironment),
	}
}

// ApplyFlags overrides the connection settings with the flag values that are non-empty (set on the
// command line), leaving the environment's values for the others.
func (c *Config) ApplyFlags(url, accessKey, secretKey, environment string) {
	override := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	override(&c.URL, url)
	override(&c.AccessKey, accessKey)
	override(&c.SecretKey, secretKey)
	override(&c.Environment, environment)
}

// Context derives the command's overall deadline from Timeout (no deadline when Timeout is zero).
func (c Config) Context(parent context.Context) (context.Context, context.CancelFunc) {
	if c.Timeout <= 0 {
		return context.WithCancel(parent)
	}
	return context.WithTimeout(parent, c.Timeout)
}

func (c Config) withDefaults() Config {
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.MaxAnswerBytes <= 0 {
		c.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Retry.Attempts <= 0 {
		c.Retry.Attempts = 6
	}
	if c.Retry.MinBackoff <= 0 {
		c.Retry.MinBackoff = 200 * time.Millisecond
	}
	if c.Retry.MaxBackoff < c.Retry.MinBackoff {
		c.Retry.MaxBackoff = max(5*time.Second, c.Retry.MinBackoff)
	}
	if c.Poll.Min <= 0 {
		c.Poll.Min = 100 * time.Millisecond
	}
	if c.Poll.Max < c.Poll.Min {
		c.Poll.Max = max(time.Second, c.Poll.Min)
	}
	if c.Poll.Factor < 1 {
		c.Poll.Factor = 1.5
	}
	return c
}

// backoff returns the wait before retry number n (1 for the first retry).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.MinBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// sleep waits d or until ctx is done, returning ctx's error in that case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
