package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// originalHelp reads the original's help for every command (../shared/traces, or $TRACES_DIR).
func originalHelp(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TRACES_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "traces")
	}
	data, err := os.ReadFile(filepath.Join(dir, "rancher-compose-v0.12.5", "help.txt"))
	if err != nil {
		t.Skipf("original help not available: %v", err)
	}
	return string(data)
}

// helpFlag is one option line of the original's help: its names and its default, if shown.
type helpFlag struct {
	names []string
	def   string
}

var (
	sectionRe = regexp.MustCompile(`(?m)^===== rancher-compose (\w+) --help =====$`)
	optionRe  = regexp.MustCompile(`^\s+(-\S.*?)(?:\s{2,}(.*))?$`)
	defaultRe = regexp.MustCompile(`\(default: (.*?)\)`)
)

// commandFlags parses the Options of each `rancher-compose CMD --help` section.
func commandFlags(help string) map[string][]helpFlag {
	out := map[string][]helpFlag{}
	locs := sectionRe.FindAllStringSubmatchIndex(help, -1)
	for i, loc := range locs {
		end := len(help)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		cmd := help[loc[2]:loc[3]]
		for _, line := range strings.Split(help[loc[1]:end], "\n") {
			m := optionRe.FindStringSubmatch(line)
			if m == nil || strings.HasPrefix(strings.TrimSpace(line), "--help") {
				continue
			}
			f := helpFlag{}
			for _, n := range strings.Split(m[1], ",") {
				f.names = append(f.names, strings.TrimLeft(strings.TrimSuffix(strings.TrimSpace(n), " value"), "-"))
			}
			if d := defaultRe.FindStringSubmatch(m[2]); d != nil {
				f.def = d[1]
			}
			out[cmd] = append(out[cmd], f)
		}
	}
	return out
}

// changedOnPurpose are the flags whose default differs from the original's on purpose: stop's and scale's
// --timeout/-t was a shutdown timeout (default 10, never used); it is now the deadline every command has
// (default DefaultTimeout), and `-t 10` still parses, as ten seconds.
var changedOnPurpose = map[string]bool{"stop --timeout": true, "scale --timeout": true}

// TestEveryOriginalCommandAndFlagIsKept checks, against the original's own help, that every command keeps
// its name and aliases and every flag its names, short forms and default.
func TestEveryOriginalCommandAndFlagIsKept(t *testing.T) {
	help := originalHelp(t)
	app, _ := NewApp(&Factory{IO: &IOStreams{}})
	original := commandFlags(help)
	if len(original) < 10 {
		t.Fatalf("parsed only %d commands from help.txt", len(original))
	}
	checked := 0
	for cmd, flags := range original {
		if cmd == "help" {
			continue
		}
		c := app.Command(cmd)
		if c == nil {
			t.Errorf("command %s is missing", cmd)
			continue
		}
		for _, want := range flags {
			got := findFlag(c.Flags, want.names[0])
			if got == nil {
				t.Errorf("%s: flag --%s is missing", cmd, want.names[0])
				continue
			}
			checked++
			if names := got.Names(); strings.Join(names, ",") != strings.Join(want.names, ",") {
				t.Errorf("%s: flag names %v, want %v", cmd, names, want.names)
			}
			if want.def != "" && defaultOf(got) != want.def && !changedOnPurpose[cmd+" --"+want.names[0]] {
				t.Errorf("%s --%s: default %q, want %q", cmd, want.names[0], defaultOf(got), want.def)
			}
		}
	}
	if stop := app.Command("down"); stop == nil || stop.Name != "stop" {
		t.Errorf("down is not an alias of stop")
	}
	if u := app.Command("upgrade"); u != nil {
		if f := findFlag(u.Flags, "update-links"); f == nil || !f.(*cli.BoolFlag).Value {
			t.Errorf("upgrade --update-links must default to true (BoolT)")
		}
	}
	if s := app.Command("start"); s != nil {
		if f := findFlag(s.Flags, "d"); f == nil || !f.(*cli.BoolFlag).Value {
			t.Errorf("start -d must default to true (BoolT)")
		}
	}
	t.Logf("%d flags of %d commands checked against the original's help", checked, len(original)-1)
}

func TestOriginalGlobalFlagsAreKept(t *testing.T) {
	help := originalHelp(t)
	app, _ := NewApp(&Factory{IO: &IOStreams{}})
	start := strings.Index(help, "Options:")
	end := strings.Index(help, "Commands:")
	for _, line := range strings.Split(help[start:end], "\n") {
		m := optionRe.FindStringSubmatch(line)
		if m == nil || strings.Contains(m[1], "--help") || strings.Contains(m[1], "--version") {
			continue
		}
		var names []string
		for _, n := range strings.Split(m[1], ",") {
			names = append(names, strings.TrimLeft(strings.TrimSuffix(strings.TrimSpace(n), " value"), "-"))
		}
		got := findFlag(app.Flags, names[0])
		if got == nil {
			t.Errorf("global flag --%s is missing", names[0])
			continue
		}
		if strings.Join(got.Names(), ",") != strings.Join(names, ",") {
			t.Errorf("global flag names %v, want %v", got.Names(), names)
		}
	}
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func defaultOf(f cli.Flag) string {
	if d, ok := f.(cli.DocGenerationFlag); ok {
		return d.GetValue()
	}
	return ""
}
