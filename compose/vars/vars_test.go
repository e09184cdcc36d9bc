package vars

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	envFile := write(t, dir, "answers.env", "A=envfile\nB=envfile\nEMPTY_IN_FILE=\n")
	dotEnv := write(t, dir, ".env", "A=dotenv\nB=dotenv\nC=dotenv\nD=dotenv\nEMPTY_OS=dotenv\n")
	s, err := Load(Options{
		EnvFile: envFile,
		Environ: []string{"A=os", "C=os", "EMPTY_OS=", "NOEQUALS", "=weird"},
		DotEnv:  dotEnv,
		CatalogDefaults: map[string]string{
			"A": "catalog", "D": "catalog", "E": "catalog",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Variable{
		"A":             {"A", "envfile", FromEnvFile}, // env-file beats the OS, as in the original
		"B":             {"B", "envfile", FromEnvFile},
		"C":             {"C", "os", FromOS},
		"D":             {"D", "dotenv", FromDotEnv}, // .env beats catalog defaults
		"E":             {"E", "catalog", FromCatalog},
		"EMPTY_IN_FILE": {"EMPTY_IN_FILE", "", FromEnvFile}, // set to empty in the env-file is set
		"EMPTY_OS":      {"EMPTY_OS", "dotenv", FromDotEnv}, // an empty OS value counts as unset
		"NOEQUALS":      {"NOEQUALS", "", Unset},
		"F":             {"F", "", Unset},
	}
	for name, w := range want {
		if got := s.Resolve(name); got != w {
			t.Errorf("Resolve(%s) = %+v, want %+v", name, got, w)
		}
		value, ok := s.Lookup(name)
		if value != w.Value || ok != (w.Source != Unset) {
			t.Errorf("Lookup(%s) = %q,%v", name, value, ok)
		}
	}
}

func TestLookupsAreRecorded(t *testing.T) {
	s := FromMap(map[string]string{"SET": "1"})
	s.AddCatalogDefaults(map[string]string{"Q": "dflt"})
	if v := s.Resolve("NOT_RECORDED"); v.Source != Unset {
		t.Fatalf("Resolve = %+v", v)
	}
	for _, n := range []string{"SET", "MISSING", "Q", "MISSING", "ALSO_MISSING"} {
		s.Lookup(n)
	}
	want := []Variable{
		{"ALSO_MISSING", "", Unset},
		{"MISSING", "", Unset},
		{"Q", "dflt", FromCatalog},
		{"SET", "1", FromOS},
	}
	if got := s.Used(); !reflect.DeepEqual(got, want) {
		t.Errorf("Used() = %+v\nwant %+v", got, want)
	}
	if got := s.Unset(); !reflect.DeepEqual(got, []string{"ALSO_MISSING", "MISSING"}) {
		t.Errorf("Unset() = %v", got)
	}
}

func TestEnvFileSyntax(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "e.env", strings.Join([]string{
		"# comment",
		"",
		"export EXPORTED=yes",
		`QUOTED="a b"`,
		`SINGLE='$HOME stays'`,
		"LDAP=(uid=$username)",
		"REF=${QUOTED}!",
		"SPACES = padded ",
		"TRAILING=value # comment",
		"URL=http://x:8080/?a=b",
	}, "\n"))
	s, err := Load(Options{EnvFile: p})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"EXPORTED": "yes", "QUOTED": "a b", "SINGLE": "$HOME stays", "LDAP": "(uid=$username)",
		"REF": "a b!", "SPACES": "padded", "TRAILING": "value", "URL": "http://x:8080/?a=b",
	}
	for k, w := range want {
		if got := s.Resolve(k); got.Value != w || got.Source != FromEnvFile {
			t.Errorf("%s = %+v, want %q from env-file", k, got, w)
		}
	}
}

func TestEnvFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(Options{EnvFile: filepath.Join(dir, "absent.env")}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "--env-file") {
		t.Errorf("missing env-file: got %v", err)
	}
	bad := write(t, dir, "bad.env", "GOOD=1\nNO EQUALS HERE\n")
	if _, err := Load(Options{EnvFile: bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("malformed env-file: got %v, want an error naming %s", err, bad)
	}
	unterminated := write(t, dir, ".env", "A=\"open\n")
	if _, err := Load(Options{DotEnv: unterminated}); err == nil || !strings.Contains(err.Error(), ".env") {
		t.Errorf("malformed .env: got %v", err)
	}
}

func TestMissingDotEnvIsSkipped(t *testing.T) {
	s, err := Load(Options{DotEnv: filepath.Join(t.TempDir(), ".env"), Environ: []string{"A=1"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Lookup("A"); v != "1" || !ok {
		t.Errorf("Lookup(A) = %q,%v", v, ok)
	}
}

func TestInjectedReadFile(t *testing.T) {
	files := map[string]string{"/virtual/answers.env": "X=from-fake"}
	read := func(p string) ([]byte, error) {
		if c, ok := files[p]; ok {
			return []byte(c), nil
		}
		return nil, fs.ErrNotExist
	}
	s, err := Load(Options{EnvFile: "/virtual/answers.env", DotEnv: "/virtual/.env", ReadFile: read})
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Resolve("X"); v.Value != "from-fake" {
		t.Errorf("X = %+v", v)
	}
}

func TestConcurrentLookups(t *testing.T) {
	s := FromMap(map[string]string{"A": "1"})
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 200; j++ {
				s.Lookup("A")
				s.Lookup("B")
				s.Used()
			}
			done <- true
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	if got := len(s.Used()); got != 2 {
		t.Errorf("Used() has %d entries, want 2", got)
	}
}

func TestEnvFileErrorsNameTheLine(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ content, want string }{
		{"GOOD=1\n# fine\nNO EQUALS HERE\nLATER=2\n", ":3: invalid env file: "},
		{"A=1\nB=\"open\nC=3\n", ":2: invalid env file: unterminated quoted value"},
		{"NOEQ", ":1: invalid env file: "},
		{"A=1\n  =x\n", ":2: invalid env file: a variable name is missing before '='"},
		{"A=1\nB=2\n: x\n", ":3: invalid env file: a variable name is missing"},
		{"export =x\n", ":1: invalid env file: a variable name is missing"},
	}
	for _, c := range cases {
		p := write(t, dir, "x.env", c.content)
		_, err := Load(Options{EnvFile: p})
		if err == nil || !strings.Contains(err.Error(), p+c.want) {
			t.Errorf("%q: got %v, want it to contain %q", c.content, err, p+c.want)
		}
	}
}
