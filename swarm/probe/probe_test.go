package probe

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func portOf(t *testing.T, addr string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHTTPProbeKeepsMethodPathAndVersion(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.URL.Path + " " + r.Proto
		if r.URL.Path == "/bad" {
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	port := portOf(t, srv.Listener.Addr().String())
	var out bytes.Buffer
	if code := Main([]string{"http", port, "HEAD /ping HTTP/1.1"}, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if got != "HEAD /ping HTTP/1.1" {
		t.Errorf("server saw %q", got)
	}
	out.Reset()
	if code := Main([]string{"http", port, "GET /bad HTTP/1.0"}, &out); code != 1 || !strings.Contains(out.String(), "503") {
		t.Errorf("503: exit %d, output %q", code, out.String())
	}
}

func TestTCPProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := portOf(t, l.Addr().String())
	var out bytes.Buffer
	if code := Main([]string{"tcp", port}, &out); code != 0 {
		t.Fatalf("open port: exit %d: %s", code, out.String())
	}
	l.Close()
	n, _ := strconv.Atoi(port)
	if code := Main([]string{"tcp", strconv.Itoa(n)}, &out); code != 1 {
		t.Errorf("closed port: exit %d", code)
	}
	if code := Main([]string{"udp", port}, &out); code != 1 || !strings.Contains(out.String(), "unknown probe kind") {
		t.Errorf("bad kind: exit %d, %q", code, out.String())
	}
}
