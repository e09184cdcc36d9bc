package cmd

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSimServesUntilInterruptedAndLogsWithoutSecrets(t *testing.T) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	f, _ := testFactory(nil)
	f.IO = &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, f, []string{"rancher-compose", "sim", "--verbose", "--listen", "127.0.0.1:0",
			"--access-key", "KEY", "--secret-key", "S3CRET", "--hosts", "2", "--step", "0"})
	}()
	urlRe := regexp.MustCompile(`RANCHER_URL=(http://\S+)`)
	var url string
	for i := 0; i < 200 && url == ""; i++ {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if url == "" {
		cancel()
		t.Fatalf("no URL printed: %q %q", out.String(), errOut.String())
	}
	req, _ := http.NewRequest("GET", url+"/v2-beta/hosts", nil)
	req.SetBasicAuth("KEY", "S3CRET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(body), `"type":"host"`) != 2 {
		t.Fatalf("GET hosts: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sim returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sim did not stop on interrupt")
	}
	if !strings.Contains(errOut.String(), "GET /v2-beta/hosts -> 200") {
		t.Errorf("--verbose should log the request, got %q", errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), "S3CRET") {
		t.Errorf("the secret key was printed: %q %q", out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "RANCHER_ACCESS_KEY=KEY") {
		t.Errorf("access key not printed: %q", out.String())
	}
}

func TestSimHelpListsFlags(t *testing.T) {
	f, _ := testFactory(nil)
	out := &bytes.Buffer{}
	f.IO = &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: out}
	if err := Run(context.Background(), f, []string{"rancher-compose", "sim", "--help"}); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"--listen", "--access-key", "--secret-key", "--hosts", "--step", "--latency",
		"--unhealthy-image", "--error-rate", "--host-label", "--fail-image", "--exit-image", "--slow-pull",
		"--unhealthy-after", "--stuck-state", "--error-state", "--conflict-burst", "--drop-rate", "--no-auth"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("--help lacks %s", flag)
		}
	}
}

func TestSimBadFlagValuesAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--exit-image", "job"}, {"--slow-pull", "x=soon"}, {"--host-label", "nolabel"},
		{"--host-labels", "0:a=b"}, {"--error-rate", "2"},
	} {
		f, _ := testFactory(nil)
		err := Run(context.Background(), f, append([]string{"rancher-compose", "sim", "--listen", "127.0.0.1:0"}, args...))
		if exitCodeFor(err) != ExitUsage {
			t.Errorf("%v: got %v (code %d), want a usage error", args, err, exitCodeFor(err))
		}
	}
}

// TestSimEnvironmentsPrintsEveryEnvironmentKey: `sim --environments` prints the account key's exports and
// one environment key per environment, and the account key lists them all.
func TestSimEnvironmentsPrintsEveryEnvironmentKey(t *testing.T) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	f, _ := testFactory(nil)
	f.IO = &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, f, []string{"rancher-compose", "sim", "--listen", "127.0.0.1:0", "--environments", "dev,prod",
			"--access-key", "ACCT", "--secret-key", "S3CRET", "--hosts", "1", "--step", "0"})
	}()
	envRe := regexp.MustCompile(`# environment prod \(1a6\): environment key RANCHER_ACCESS_KEY=\S+ RANCHER_SECRET_KEY=\S+`)
	urlRe := regexp.MustCompile(`RANCHER_URL=(http://\S+)`)
	var url string
	for i := 0; i < 200 && (url == "" || !envRe.MatchString(out.String())); i++ {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	defer func() {
		cancel()
		<-done
	}()
	if url == "" || !envRe.MatchString(out.String()) || !strings.Contains(out.String(), "# environment dev (1a5)") {
		t.Fatalf("output: %q", out.String())
	}
	req, _ := http.NewRequest("GET", url+"/v2-beta/projects", nil)
	req.SetBasicAuth("ACCT", "S3CRET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name":"dev"`) || !strings.Contains(string(body), `"name":"prod"`) {
		t.Errorf("GET projects with the account key: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(out.String(), "S3CRET") {
		t.Errorf("the account secret was printed")
	}
}
