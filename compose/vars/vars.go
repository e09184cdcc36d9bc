// Package vars gathers the variables that compose files are interpolated with and remembers where each
// value came from, for `config --variables` and for warnings about unset variables.
//
// Precedence, highest first (the original's lookup chain in app/app.go and lookup/*.go, §2.7):
//
//  1. --env-file: the original consulted it before anything else, so it wins over the OS environment.
//  2. The OS environment, passed in as a []string environ (never read from os directly). An empty OS
//     value counts as unset, as the original's OsEnvLookup did, so a lower source may still fill it.
//  3. .env beside the first compose file (the docker-compose convention; the original never read it).
//  4. Catalog question defaults (.catalog.questions[].variable/default of rancher-compose.yml), only for
//     variables no other source set. The original prompted on stdin here; we never prompt, and a CI job
//     with a closed stdin got the default anyway.
//
// The original also looked at the environment of an existing stack on the server; loading makes no API
// calls, so that source is not consulted.
//
// Both env files are parsed with github.com/joho/godotenv: comments, blank lines, `export` and quotes
// are handled, and $UPPER_CASE references to keys defined earlier in the same file are expanded (a
// lower-case $name, as in LDAP filters, is kept). The original split lines on '=' verbatim; real files
// (every answers.env of the catalog corpus) read the same either way.
// A line without '=' is an error naming file:line (the original read it as KEY="").
package vars

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/joho/godotenv"
)

// Source names where a variable's value came from.
type Source string

// The sources, as `config --variables` prints them.
const (
	FromEnvFile Source = "env-file"
	FromOS      Source = "OS"
	FromDotEnv  Source = ".env"
	FromCatalog Source = "catalog default"
	Unset       Source = "unset"
)

// Variable is one variable's resolved value and its source (Unset with an empty value when none set it).
type Variable struct {
	Name   string
	Value  string
	Source Source
}

// Options say where the variables come from.
type Options struct {
	// EnvFile is the --env-file path; "" for none. A missing file is an error.
	EnvFile string
	// Environ is the OS environment as KEY=VALUE entries (os.Environ() in production).
	Environ []string
	// DotEnv is the path of the .env file beside the first compose file; "" for none. A missing file is skipped.
	DotEnv string
	// CatalogDefaults maps catalog question variables to their defaults; see also Set.AddCatalogDefaults.
	CatalogDefaults map[string]string
	// ReadFile reads a file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)
}

// Set resolves variables in precedence order and records every lookup. It is safe for concurrent use.
type Set struct {
	layers []layer

	mu      sync.Mutex
	catalog map[string]string
	used    map[string]Variable
}

type layer struct {
	source Source
	values map[string]string
}

// Load reads the env files named in opts and returns the resulting Set.
func Load(opts Options) (*Set, error) {
	read := opts.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	envFile := map[string]string{}
	if opts.EnvFile != "" {
		data, err := read(opts.EnvFile)
		if err != nil {
			return nil, readError("--env-file", opts.EnvFile, err)
		}
		if envFile, err = parseEnvFile(opts.EnvFile, data); err != nil {
			return nil, err
		}
	}
	dotEnv := map[string]string{}
	if opts.DotEnv != "" {
		data, err := read(opts.DotEnv)
		switch {
		case err == nil:
			if dotEnv, err = parseEnvFile(opts.DotEnv, data); err != nil {
				return nil, err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, readError("reading", opts.DotEnv, err)
		}
	}
	s := &Set{
		layers: []layer{
			{FromEnvFile, envFile},
			{FromOS, environMap(opts.Environ)},
			{FromDotEnv, dotEnv},
		},
		catalog: map[string]string{},
		used:    map[string]Variable{},
	}
	s.AddCatalogDefaults(opts.CatalogDefaults)
	return s, nil
}

// FromMap returns a Set whose only source is values, reported as the OS environment; handy in tests.
func FromMap(values map[string]string) *Set {
	environ := make([]string, 0, len(values))
	for k, v := range values {
		environ = append(environ, k+"="+v)
	}
	s, _ := Load(Options{Environ: environ})
	return s
}

// AddCatalogDefaults adds catalog question defaults (variable → default), the lowest-precedence source.
// A variable listed by two questions keeps the later default, as a later YAML key would.
func (s *Set) AddCatalogDefaults(defaults map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range defaults {
		s.catalog[k] = v
	}
}

// Resolve returns a variable's value and source without recording the lookup.
func (s *Set) Resolve(name string) Variable {
	for _, l := range s.layers {
		if v, ok := l.values[name]; ok {
			return Variable{Name: name, Value: v, Source: l.source}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.catalog[name]; ok {
		return Variable{Name: name, Value: v, Source: FromCatalog}
	}
	return Variable{Name: name, Source: Unset}
}

// Lookup resolves name and records the lookup; it has the signature of interp.Lookup.
func (s *Set) Lookup(name string) (string, bool) {
	v := s.Resolve(name)
	s.mu.Lock()
	s.used[name] = v
	s.mu.Unlock()
	return v.Value, v.Source != Unset
}

// Used returns every variable looked up so far, sorted by name, with its value and source.
func (s *Set) Used() []Variable {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Variable, 0, len(s.used))
	for _, v := range s.used {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Unset returns the names looked up that no source set, sorted.
func (s *Set) Unset() []string {
	var names []string
	for _, v := range s.Used() {
		if v.Source == Unset {
			names = append(names, v.Name)
		}
	}
	return names
}

// environMap turns KEY=VALUE entries into a map, dropping empty values (the original treated an empty
// OS variable as unset) and entries without '='.
func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && k != "" && v != "" {
			m[k] = v
		}
	}
	return m
}

// readError phrases a read failure without Go's "open /path" prefix; errors.Is still sees the cause.
func readError(what, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s %s: %w", what, path, err)
}

func parseEnvFile(path string, data []byte) (map[string]string, error) {
	if len(data) > 0 && data[len(data)-1] != '\n' {
		// godotenv takes a last line without '=' and without newline as a value of the key "".
		data = append(append([]byte{}, data...), '\n')
	}
	m, err := godotenv.UnmarshalBytes(data)
	if _, emptyKey := m[""]; err == nil && emptyKey {
		return nil, fmt.Errorf("%s: invalid env file: a variable name is missing before '='", withLine(path, emptyKeyLine(data)))
	}
	if err != nil {
		if line, lineErr := badLine(data); line > 0 {
			return nil, fmt.Errorf("%s: invalid env file: %w", withLine(path, line), lineErr)
		}
		return nil, fmt.Errorf("%s: invalid env file: %w", path, err)
	}
	return m, nil
}

// withLine appends ":line" to path when the line is known (not 0).
func withLine(path string, line int) string {
	if line == 0 {
		return path
	}
	return fmt.Sprintf("%s:%d", path, line)
}

// emptyKeyLine returns the first line whose key is empty ("=x", ": x", "export =x"), or 0.
func emptyKeyLine(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "export"); ok && rest != strings.TrimSpace(rest) {
			l = strings.TrimSpace(rest)
		}
		if strings.HasPrefix(l, "=") || strings.HasPrefix(l, ":") {
			return i + 1
		}
	}
	return 0
}

// badLine finds the first line godotenv rejects on its own, to point at it: godotenv's errors quote the
// rest of the file instead of giving a line. Each line is parsed alone, with its newline; it returns 0
// when every line passes that way. (A valid quoted value spanning lines, ahead of the real problem, would
// be blamed instead; env files rarely hold one.)
func badLine(data []byte) (int, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if _, err := godotenv.Unmarshal(l + "\n"); err != nil {
			return i + 1, err
		}
	}
	return 0, nil
}
