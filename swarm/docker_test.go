package swarm

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// realDocker is a test's connection to the local Docker daemon, with everything the test created recorded
// for removal at its end, even on failure.
type realDocker struct {
	t          *testing.T
	c          *Client
	prefix     string // unique per run: image repository and stack names start with it
	probe      string // the static app binary, also the probe
	leaveSwarm bool
}

// needDocker connects to the daemon named by DOCKER_HOST (default socket) or skips when none is reachable.
func needDocker(t *testing.T) *realDocker {
	t.Helper()
	if testing.Short() {
		t.Skip("real-engine Swarm test: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Connect(ctx, EndpointFromEnv(os.Getenv))
	if err != nil {
		t.Skipf("real-engine Swarm test: no Docker daemon reachable (%v)", err)
	}
	d := &realDocker{t: t, c: c, prefix: fmt.Sprintf("rcswt%d", os.Getpid()%100000)}
	d.ensureSwarm(ctx)
	return d
}

// ensureSwarm initialises swarm mode when inactive, and leaves it at the end only then.
func (d *realDocker) ensureSwarm(ctx context.Context) {
	st, err := d.c.Swarm(ctx)
	if err != nil {
		d.t.Fatalf("reading swarm state: %v", err)
	}
	if st.LocalNodeState == "active" {
		if !st.ControlAvailable {
			d.t.Skip("real-engine Swarm test: this node is a swarm worker, not a manager")
		}
		return
	}
	hadBridge := d.networkExists(ctx, gwBridge)
	body := map[string]any{"ListenAddr": "127.0.0.1:2377", "AdvertiseAddr": "127.0.0.1"}
	if err := d.c.do(ctx, http.MethodPost, "/swarm/init", nil, body, nil); err != nil {
		d.t.Fatalf("docker swarm init: %v", err)
	}
	d.leaveSwarm = true
	d.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// Another test run (another checkout) may have started using the swarm we initialised: leave it then.
		if svcs, err := d.c.Services(ctx); err != nil || len(svcs) > 0 {
			d.t.Logf("not leaving swarm mode: %d services of other runs are on it (%v)", len(svcs), err)
			return
		}
		if err := d.c.do(ctx, http.MethodPost, "/swarm/leave", url.Values{"force": {"1"}}, nil, nil); err != nil {
			d.t.Errorf("docker swarm leave: %v", err)
			return
		}
		if !hadBridge {
			d.removeNetwork(ctx, gwBridge)
		}
	})
}

// gwBridge is the network swarm init creates on the host and swarm leave leaves behind.
const gwBridge = "docker_gwbridge"

func (d *realDocker) networkExists(ctx context.Context, name string) bool {
	err := d.c.do(ctx, http.MethodGet, "/networks/"+name, nil, nil, nil)
	if apiErr, ok := err.(*APIError); ok && apiErr.NotFound() {
		return false
	}
	if err != nil {
		d.t.Fatalf("inspecting network %s: %v", name, err)
	}
	return true
}

// removeNetwork removes a network left by the test, retrying while the daemon still releases its endpoints.
func (d *realDocker) removeNetwork(ctx context.Context, name string) {
	var err error
	for range 20 {
		if err = ignoreNotFound(d.c.do(ctx, http.MethodDelete, "/networks/"+name, nil, nil, nil)); err == nil {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	d.t.Errorf("removing network %s that swarm init created: %v", name, err)
}

// buildApp builds the static test app and the images <prefix>/app:v1, v2, v3 from it (FROM scratch).
func (d *realDocker) buildApp() {
	d.t.Helper()
	dir := d.t.TempDir()
	bin := filepath.Join(dir, "app")
	_, self, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "build", "-o", bin, "./fixtures/swarm/app")
	cmd.Dir = filepath.Join(filepath.Dir(self), "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("building the test app: %v\n%s", err, out)
	}
	d.probe = bin
	exe, err := os.ReadFile(bin)
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, v := range []string{"v1", "v2", "v3"} {
			if err := d.c.RemoveImage(ctx, d.image(v)); err != nil {
				d.t.Errorf("removing image %s: %v", d.image(v), err)
			}
		}
	})
	for _, v := range []string{"v1", "v2", "v3"} {
		dockerfile := "FROM scratch\nCOPY app /app\nENV APP_VERSION=" + v + "\nENTRYPOINT [\"/app\"]\nCMD [\"serve\"]\n"
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		err := d.c.BuildImage(ctx, d.image(v), tarOf(map[string][]byte{"Dockerfile": []byte(dockerfile), "app": exe}))
		cancel()
		if err != nil {
			d.t.Fatalf("building image %s: %v", d.image(v), err)
		}
	}
}

func (d *realDocker) image(tag string) string { return d.prefix + "/app:" + tag }

// cleanupStack removes every service, config and network of the stack at the test's end.
func (d *realDocker) cleanupStack(stack string) {
	d.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		svcs, _ := d.c.Services(ctx, LabelNamespace+"="+stack)
		for _, s := range svcs {
			if err := d.c.RemoveService(ctx, s.ID); err != nil {
				d.t.Errorf("removing service %s: %v", s.Spec.Name, err)
			}
		}
		cfgs, _ := d.c.Configs(ctx, LabelNamespace+"="+stack)
		for _, c := range cfgs {
			if err := d.c.RemoveConfig(ctx, c.ID); err != nil {
				d.t.Errorf("removing config %s: %v", c.Spec.Name, err)
			}
		}
		nets, _ := d.c.Networks(ctx, LabelNamespace+"="+stack)
		x := &Executor{Client: d.c}
		for _, n := range nets {
			if err := x.retryRemoveNetwork(ctx, n); err != nil {
				d.t.Errorf("removing network %s: %v", n.Name, err)
			}
		}
	})
}

// runContainer starts a plain container on a network and returns its id; it is removed at the end.
func (d *realDocker) runContainer(ctx context.Context, image, network string, cmd ...string) string {
	d.t.Helper()
	body := map[string]any{"Image": image, "Cmd": cmd, "HostConfig": map[string]any{"NetworkMode": network}}
	var created struct {
		ID string `json:"Id"`
	}
	if err := d.c.do(ctx, http.MethodPost, "/containers/create", nil, body, &created); err != nil {
		d.t.Fatalf("creating a container: %v", err)
	}
	d.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = ignoreNotFound(d.c.do(ctx, http.MethodDelete, "/containers/"+created.ID, url.Values{"force": {"1"}}, nil, nil))
	})
	if err := d.c.do(ctx, http.MethodPost, "/containers/"+created.ID+"/start", nil, nil, nil); err != nil {
		d.t.Fatalf("starting a container: %v", err)
	}
	return created.ID
}

// stopAndLogs stops a container (SIGTERM), removes it and returns its output.
func (d *realDocker) stopAndLogs(ctx context.Context, id string) string {
	d.t.Helper()
	if err := d.c.do(ctx, http.MethodPost, "/containers/"+id+"/stop", url.Values{"t": {"10"}}, nil, nil); err != nil {
		d.t.Fatalf("stopping container: %v", err)
	}
	resp, err := d.c.http.R().SetContext(ctx).SetQueryParams(map[string]string{"stdout": "1", "stderr": "1"}).Get("/containers/" + id + "/logs")
	if err != nil {
		d.t.Fatalf("container logs: %v", err)
	}
	logs := demux(resp.Body())
	if err := ignoreNotFound(d.c.do(ctx, http.MethodDelete, "/containers/"+id, url.Values{"force": {"1"}}, nil, nil)); err != nil {
		d.t.Errorf("removing container: %v", err)
	}
	return logs
}

// demux strips the 8-byte frame headers of a non-TTY log stream.
func demux(b []byte) string {
	var out strings.Builder
	for len(b) >= 8 {
		n := int(binary.BigEndian.Uint32(b[4:8]))
		if 8+n > len(b) {
			break
		}
		out.Write(b[8 : 8+n])
		b = b[8+n:]
	}
	return out.String()
}

func tarOf(files map[string][]byte) io.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, data := range files {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data))})
		_, _ = tw.Write(data)
	}
	_ = tw.Close()
	return &buf
}
