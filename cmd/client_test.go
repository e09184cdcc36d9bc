package cmd

import (
	"io"
	"strings"
	"testing"
)

func TestClientWarningsGoToStderr(t *testing.T) {
	f, _ := testFactory(map[string]string{"RANCHER_URL": "http://rancher:8080"})
	var errOut strings.Builder
	cfg := clientConfig(f, &GlobalOptions{}, &runOptions{}, &errOut)
	if cfg.Warnings != io.Writer(&errOut) || cfg.URL != "http://rancher:8080" {
		t.Fatalf("warnings go to %v", cfg.Warnings)
	}
}
