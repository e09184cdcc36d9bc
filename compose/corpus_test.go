package compose_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// corpusDir returns the real-world project corpus: $CORPUS_DIR, else ../shared/corpus beside the repository
// root. ok is false when it is absent.
func corpusDir(tb testing.TB) (string, bool) {
	tb.Helper()
	if d := os.Getenv("CORPUS_DIR"); d != "" {
		_, err := os.Stat(d)
		return d, err == nil
	}
	root, err := repoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	d := filepath.Join(root, "..", "shared", "corpus")
	_, err = os.Stat(d)
	return d, err == nil
}

// repoRoot walks up from the test's directory to the one holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// corpusPair is one plain (non-template) corpus project: a folder with a docker-compose.yml.
type corpusPair struct {
	dir     string // absolute folder
	rel     string // folder relative to the corpus root
	envFile string // answers.env, "" when the folder has none
	bytes   int64  // size of docker-compose.yml plus rancher-compose.yml
}

// corpusPairs lists every folder with a docker-compose.yml outside tpl/ (whose files are Go templates).
func corpusPairs(tb testing.TB, root string) []corpusPair {
	tb.Helper()
	var pairs []corpusPair
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path == filepath.Join(root, "tpl") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "docker-compose.yml" {
			return nil
		}
		dir := filepath.Dir(path)
		rel, _ := filepath.Rel(root, dir)
		p := corpusPair{dir: dir, rel: rel}
		if _, err := os.Stat(filepath.Join(dir, "answers.env")); err == nil {
			p.envFile = "answers.env"
		}
		for _, f := range []string{"docker-compose.yml", "rancher-compose.yml"} {
			if fi, err := os.Stat(filepath.Join(dir, f)); err == nil {
				p.bytes += fi.Size()
			}
		}
		pairs = append(pairs, p)
		return nil
	})
	if err != nil {
		tb.Fatalf("walking %s: %v", root, err)
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].rel < pairs[j].rel })
	return pairs
}

// placeholderKey matches a mapping key that is itself a catalog template placeholder: `  {{.Values.x}}:`.
var placeholderKey = regexp.MustCompile(`^\s*(- )?\{\{[^}]*\}\}\s*:`)

// placeholderKeyAt returns "file:line" of the first key in the pair that is a template placeholder, or "".
func placeholderKeyAt(tb testing.TB, dir string) string {
	tb.Helper()
	for _, name := range []string{"docker-compose.yml", "rancher-compose.yml"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			if placeholderKey.MatchString(sc.Text()) {
				f.Close()
				return fmt.Sprintf("%s:%d", name, line)
			}
		}
		f.Close()
	}
	return ""
}

func loadPair(p corpusPair) (*compose.Project, error) {
	return compose.Load(context.Background(), compose.Options{WorkDir: p.dir, EnvFile: p.envFile})
}

// TestCorpusLoads loads every plain corpus project with its answers.env. All must load, except those
// whose keys are template placeholders, which must fail with a file:line message pointing at that key.
func TestCorpusLoads(t *testing.T) {
	root, ok := corpusDir(t)
	if !ok {
		t.Skipf("corpus not found (set CORPUS_DIR or put it at ../shared/corpus): %s", root)
	}
	pairs := corpusPairs(t, root)
	if len(pairs) == 0 {
		t.Fatalf("no docker-compose.yml under %s", root)
	}
	loaded, placeholders := 0, 0
	for _, p := range pairs {
		_, err := loadPair(p)
		if at := placeholderKeyAt(t, p.dir); at != "" {
			placeholders++
			checkPlaceholderFailure(t, p, at, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", p.rel, err)
			continue
		}
		loaded++
	}
	fmt.Printf("corpus: %d/%d projects load\n", loaded, len(pairs))
	if loaded+placeholders != len(pairs) {
		t.Errorf("%d of %d projects failed to load (%d have template placeholder keys)", len(pairs)-loaded, len(pairs), placeholders)
	}
}

func checkPlaceholderFailure(t *testing.T, p corpusPair, at string, err error) {
	t.Helper()
	var ce *compose.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("%s: has a template placeholder key at %s; want a *compose.ConfigError, got %v", p.rel, at, err)
		return
	}
	if !strings.Contains(err.Error(), at) {
		t.Errorf("%s: the error should name %s (the placeholder key):\n%v", p.rel, at, err)
	}
}
