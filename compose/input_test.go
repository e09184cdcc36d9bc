package compose

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// endless is a stream that never ends, as -f - from a generator would be.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '#'
	}
	return len(p), nil
}

const capped = "larger than 10 MiB (input is capped)"

// TestEveryInputIsCapped: devices and endless streams given as any input fail with exit 2, the file named
// and the cap stated, after reading no more than the cap.
func TestEveryInputIsCapped(t *testing.T) {
	compose := "services:\n  web:\n    image: nginx\n"
	cases := []struct {
		name  string
		files map[string]string
		opts  Options
		where string
	}{
		{"-f /dev/zero", nil, Options{Files: []string{"/dev/zero"}}, "/dev/zero"},
		{"-f /dev/urandom", nil, Options{Files: []string{"/dev/urandom"}}, "/dev/urandom"},
		{"-f - endless", nil, Options{Files: []string{"-"}, Stdin: endless{}}, "-"},
		{"-e /dev/zero", map[string]string{"docker-compose.yml": compose}, Options{EnvFile: "/dev/zero"}, "/dev/zero"},
		{"-r /dev/zero", map[string]string{"docker-compose.yml": compose}, Options{RancherFile: "/dev/zero"}, "/dev/zero"},
		{"-b /dev/zero", map[string]string{"docker-compose.yml": compose}, Options{BindingsFile: "/dev/zero"}, "/dev/zero"},
		{"env_file", map[string]string{"docker-compose.yml": compose + "    env_file: /dev/zero\n"}, Options{}, "/dev/zero"},
		{"extends", map[string]string{"docker-compose.yml": "services:\n  web:\n    extends:\n      file: /dev/zero\n      service: base\n"}, Options{}, "/dev/zero"},
		{".env", map[string]string{"docker-compose.yml": compose}, Options{}, ".env"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.WorkDir = writeProject(t, c.files)
			if c.name == ".env" {
				if err := os.Symlink("/dev/zero", filepath.Join(c.opts.WorkDir, ".env")); err != nil {
					t.Fatal(err)
				}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load(context.Background(), c.opts)
			runtime.ReadMemStats(&after)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.ExitCode() != 2 {
				t.Fatalf("got %v, want a ConfigError (exit 2)", err)
			}
			requireDiag(t, ce.Problems, c.where, capped)
			t.Logf("%s; %d MiB allocated", ce.Problems[0], (after.TotalAlloc-before.TotalAlloc)>>20)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20*MaxInputSize {
				t.Errorf("allocated %d MiB reading a capped input", alloc>>20)
			}
		})
	}
}

// TestPipesStillWork: -f - and a file under the cap load as before.
func TestPipesStillWork(t *testing.T) {
	p := mustLoad(t, nil, Options{Files: []string{"-"}, Stdin: strings.NewReader("services:\n  web:\n    image: nginx\n")})
	if p.Service("web") == nil {
		t.Fatal("web not loaded from stdin")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = io.WriteString(w, "services:\n  db:\n    image: postgres\n")
		w.Close()
	}()
	p = mustLoad(t, nil, Options{Files: []string{"/dev/fd/" + strconv.Itoa(int(r.Fd()))}})
	if p.Service("db") == nil {
		t.Fatal("db not loaded from a pipe given as a file (process substitution)")
	}
}

// TestInterruptedReadReturns: a read blocked on a stream that never ends returns when the context ends.
func TestInterruptedReadReturns(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = w.Write([]byte("services:\n"))
		cancel()
	}()
	_, err = Load(ctx, Options{Files: []string{"-"}, Stdin: r, WorkDir: t.TempDir()})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "still reading standard input") {
		t.Fatalf("got %v, want context.Canceled naming the input", err)
	}
}
