package cmd

import (
	"context"
	"strings"
	"testing"
)

func TestUnknownGlobalFlagIsNamed(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--projet", "hc", "up", "-d"}, "flag provided but not defined: -projet (did you mean --project-name?)"},
		{[]string{"--projet=hc", "up", "-d"}, "flag provided but not defined: -projet (did you mean --project-name?)"},
		{[]string{"-p", "hc", "--verbos", "up"}, "flag provided but not defined: -verbos (did you mean --verbose?)"},
		{[]string{"--acess-key", "k", "ps"}, "flag provided but not defined: -acess-key (did you mean --access-key?)"},
		{[]string{"--zzzzzz", "ps"}, "flag provided but not defined: -zzzzzz"},
	}
	for _, c := range cases {
		f, _ := testFactory(nil)
		err := Run(context.Background(), f, append([]string{"rancher-compose"}, c.args...))
		if exitCodeFor(err) != ExitUsage || err.Error() != c.want {
			t.Errorf("%v: got %v (code %d), want %q", c.args, err, exitCodeFor(err), c.want)
		}
	}
}

func TestUnknownCommandFlagGetsAHint(t *testing.T) {
	f, _ := testFactory(nil)
	err := Run(context.Background(), f, []string{"rancher-compose", "-p", "hc", "up", "--upgarde"})
	if exitCodeFor(err) != ExitUsage || !strings.Contains(err.Error(), "flag provided but not defined: -upgarde (did you mean --upgrade?)") {
		t.Fatalf("got %v (code %d)", err, exitCodeFor(err))
	}
}

func TestKnownGlobalFlagsAreAccepted(t *testing.T) {
	f, _ := testFactory(nil)
	for _, args := range [][]string{{"--verbose", "-p", "x", "--strict", "help"}, {"--debug", "--env=Default", "help"}, {"--version"}, {"-h"}} {
		if err := Run(context.Background(), f, append([]string{"rancher-compose"}, args...)); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
