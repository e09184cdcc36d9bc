package cmd

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func testFactory(env map[string]string) (*Factory, *strings.Builder) {
	io, _, _ := TestIO()
	f := SystemFactory()
	f.IO = io
	f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	f.Environ = func() []string { return nil }
	return f, nil
}

func TestReorderCommandArgsLikeUrfaveV118(t *testing.T) {
	app, _ := NewApp(&Factory{IO: &IOStreams{}})
	cases := []struct{ in, want string }{
		{"rc -p s up web -d --upgrade", "rc -p s up -d --upgrade web"},
		{"rc -p s up -d --upgrade web", "rc -p s up -d --upgrade web"},
		{"rc -p s up --upgrade web -d", "rc -p s up --upgrade web -d"},
		{"rc --url http://x -f a.yml up web", "rc --url http://x -f a.yml up web"},
		{"rc -f=a.yml upgrade a b --wait", "rc -f=a.yml upgrade --wait a b"},
		{"rc --verbose scale web=3", "rc --verbose scale web=3"},
	}
	for _, c := range cases {
		got := strings.Join(reorderCommandArgs(app, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("reorder(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	f, _ := testFactory(nil)
	err := Run(context.Background(), f, []string{"rancher-compose", "blarg"})
	if exitCodeFor(err) != ExitUsage || !strings.Contains(err.Error(), "No help topic for 'blarg'") {
		t.Fatalf("got %v (code %d)", err, exitCodeFor(err))
	}
}

func TestUnknownGlobalFlagIsUsageError(t *testing.T) {
	f, _ := testFactory(nil)
	err := Run(context.Background(), f, []string{"rancher-compose", "--nope", "help"})
	if exitCodeFor(err) != ExitUsage {
		t.Fatalf("got %v (code %d)", err, exitCodeFor(err))
	}
}

func TestEnvFillsUnsetGlobalFlagsOnly(t *testing.T) {
	f, _ := testFactory(map[string]string{"RANCHER_URL": "http://env", "RANCHER_ACCESS_KEY": "AK", "COMPOSE_FILE": "a.yml:b.yml"})
	app, g := NewApp(f)
	if err := app.Run([]string{"rc", "--url", "http://flag"}); err != nil {
		t.Fatal(err)
	}
	if g.URL != "http://flag" || g.AccessKey != "AK" {
		t.Fatalf("url=%q access=%q", g.URL, g.AccessKey)
	}
	if got := g.ComposeFiles(); !reflect.DeepEqual(got, []string{"a.yml", "b.yml"}) {
		t.Fatalf("files = %v", got)
	}
}

func TestVersionAndHelpListExitCodes(t *testing.T) {
	io, out, _ := TestIO()
	f := SystemFactory()
	f.IO = io
	if err := Run(context.Background(), f, []string{"rancher-compose", "--version"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "rancher-compose version ") {
		t.Fatalf("version output %q", out.String())
	}
	out.Reset()
	if err := Run(context.Background(), f, []string{"rancher-compose", "--help"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "EXIT CODES:") {
		t.Fatalf("help lacks exit codes:\n%s", out.String())
	}
}

func TestHelpDocumentsTheEnvironmentKnobs(t *testing.T) {
	io, out, _ := TestIO()
	f := SystemFactory()
	f.IO = io
	if err := Run(context.Background(), f, []string{"rancher-compose", "--help"}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{EnvPoll, EnvClientDebug, EnvReadTimeout} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("help does not document %s:\n%s", v, out.String())
		}
	}
}

type codedErr struct{}

func (codedErr) Error() string { return "coded" }
func (codedErr) ExitCode() int { return 6 }

func TestExitCodeMapping(t *testing.T) {
	cases := []struct {
		err  error
		want ExitCode
	}{
		{nil, ExitOK},
		{errors.New("x"), ExitFailed},
		{usageErrorf("bad"), ExitUsage},
		{context.Canceled, ExitInterrupted},
		{context.DeadlineExceeded, ExitTimeout},
		{codedErr{}, ExitRolledBack},
		{cli.Exit("x", 5), ExitUnreachable},
	}
	for _, c := range cases {
		if got := exitCodeFor(c.err); got != c.want {
			t.Errorf("exitCodeFor(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}
