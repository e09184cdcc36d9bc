package cmd

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

func TestHealthprobeCommand(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	var out bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}, LookupEnv: func(string) (string, bool) { return "", false }}
	if err := Run(context.Background(), f, []string{"rancher-compose", "healthprobe", "tcp", port}); err != nil {
		t.Fatalf("open port: %v (%s)", err, out.String())
	}
	l.Close()
	err = Run(context.Background(), f, []string{"rancher-compose", "healthprobe", "tcp", port})
	if exitCodeFor(err) != 1 || !strings.Contains(out.String(), "unhealthy") {
		t.Errorf("closed port: exit %d, output %q", exitCodeFor(err), out.String())
	}
}
