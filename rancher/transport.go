package rancher

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/go-retryablehttp"
)

// retryMode tells the transport's retry policy how much it may repeat a request.
type retryMode int

const (
	// retryIdempotent repeats on any transient failure (GET, PUT, DELETE, transform).
	retryIdempotent retryMode = iota
	// retryUnsent repeats only when the request never reached the server (creates and actions,
	// whose other failures are handled by the caller, which looks before posting again).
	retryUnsent
	// retryNever sends once: a request sent before it is known to be needed (prefetch), which its caller
	// sends again, retried, when it is needed after all.
	retryNever
)

type retryModeKey struct{}

func withRetryMode(ctx context.Context, m retryMode) context.Context {
	return context.WithValue(ctx, retryModeKey{}, m)
}

func retryModeOf(ctx context.Context) retryMode {
	m, _ := ctx.Value(retryModeKey{}).(retryMode)
	return m
}

// newHTTP builds resty over retryablehttp's StandardClient over (logging over counting over) the base
// transport, so every attempt is counted and logged, and retries stay under our policy.
func newHTTP(cfg Config, stats *counters, logger *exchangeLogger) *resty.Client {
	base := cfg.Transport
	if base == nil {
		base = pooledTransport()
	}
	var rt http.RoundTripper = &countingTransport{next: &answerTransport{next: base, idle: cfg.ReadTimeout, timeout: cfg.RequestTimeout, limit: cfg.MaxAnswerBytes}, stats: stats}
	if logger != nil {
		rt = &loggingTransport{next: rt, log: logger}
	}
	if cfg.Warnings != nil {
		rt = &clearTextWarner{next: rt, w: cfg.Warnings}
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: rt, CheckRedirect: checkRedirect} // the attempt's timeout is answerTransport's
	rc.Logger = nil
	rc.RetryMax = cfg.Retry.Attempts - 1
	rc.RetryWaitMin, rc.RetryWaitMax = cfg.Retry.MinBackoff, cfg.Retry.MaxBackoff
	rc.CheckRetry = checkRetry
	rc.Backoff = func(_, _ time.Duration, attempt int, _ *http.Response) time.Duration {
		return cfg.Retry.backoff(attempt + 1)
	}
	rc.ErrorHandler = lastAnswer
	rc.RequestLogHook = func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
		if attempt > 0 {
			stats.retries.Add(1)
		}
	}
	r := resty.NewWithClient(rc.StandardClient())
	r.SetDisableWarn(true)
	r.SetLogger(quietLogger{})
	r.SetBasicAuth(cfg.AccessKey, cfg.SecretKey)
	r.SetHeader("User-Agent", cfg.UserAgent)
	r.SetHeader("Accept", "application/json")
	return r
}

// MaxConnsPerHost bounds the connections to the API, and as many stay open between requests. Without it a
// deploy of hundreds of services opened a connection for nearly every request in flight (each with two
// goroutines and 8 KiB of buffers) and, keeping only 2 idle, closed and re-dialled them after every burst:
// about 1,500 connections for a 500-service `up`. Requests beyond the bound wait for a free connection
// (answerTransport does not count that wait as the server's silence).
const MaxConnsPerHost = 64

// pooledTransport is net/http's default transport with connections to the API bounded and kept.
func pooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost, t.MaxIdleConnsPerHost = MaxConnsPerHost, MaxConnsPerHost
	return t
}

// checkRetry is the transport's retry policy: transient failures of idempotent requests, and connection
// failures of any request that was never sent.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	mode := retryModeOf(ctx)
	if mode == retryNever {
		return false, nil
	}
	if err != nil {
		if isUnsent(err) {
			return !isPermanentNetError(err), nil
		}
		return mode == retryIdempotent && !isPermanentNetError(err) && !errors.Is(err, context.Canceled), nil
	}
	if mode != retryIdempotent {
		return false, nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusTooManyRequests:
		return true, nil
	}
	return false, nil
}

// quietLogger keeps resty silent: everything worth saying is returned as an error or logged by --verbose.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...interface{}) {}
func (quietLogger) Warnf(string, ...interface{})  {}
func (quietLogger) Debugf(string, ...interface{}) {}

// lastAnswer hands the last attempt's outcome back once the retries are over: the response when there is
// one, else the error, never both (net/http would log "RoundTripper returned a response & error"). A broken
// answer learns how many attempts were made.
func lastAnswer(resp *http.Response, err error, attempts int) (*http.Response, error) {
	var bad *answerError
	if errors.As(err, &bad) {
		bad.Attempts = attempts
	}
	if err != nil && resp != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, err
}
