package kube_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/kube"
)

// corpusDir is $CORPUS_DIR, else ../shared/corpus beside the repository root; ok is false when absent.
func corpusDir(t *testing.T) (string, bool) {
	t.Helper()
	if d := os.Getenv("CORPUS_DIR"); d != "" {
		_, err := os.Stat(d)
		return d, err == nil
	}
	d := filepath.Join("..", "..", "shared", "corpus")
	_, err := os.Stat(d)
	return d, err == nil
}

// corpusProject is one plain corpus folder (a docker-compose.yml outside tpl/, whose files are templates).
type corpusProject struct {
	dir, rel, envFile string
}

func corpusProjects(t *testing.T, root string) []corpusProject {
	t.Helper()
	var out []corpusProject
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
		p := corpusProject{dir: dir, rel: rel}
		if _, err := os.Stat(filepath.Join(dir, "answers.env")); err == nil {
			p.envFile = "answers.env"
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", root, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}

// load reads a project as `config` does, with a fixed project name so the output does not depend on
// where the corpus lives.
func load(dir, envFile, name string) (*compose.Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return compose.Load(context.Background(), compose.Options{WorkDir: abs, EnvFile: envFile, ProjectName: name})
}

// TestCorpusConvertsAndValidates converts every corpus project that loads and checks every document:
// strict decoding into its typed object and apimachinery's validation; the same input gives the same bytes.
func TestCorpusConvertsAndValidates(t *testing.T) {
	root, ok := corpusDir(t)
	if !ok {
		t.Skipf("corpus not found (set CORPUS_DIR or put it at ../shared/corpus): %s", root)
	}
	projects := corpusProjects(t, root)
	loaded, passed, objects, dropped := 0, 0, 0, 0
	for _, p := range projects {
		proj, err := load(p.dir, p.envFile, "")
		var cfgErr *compose.ConfigError
		if errors.As(err, &cfgErr) {
			continue // compose's TestCorpusLoads accounts for these (template placeholder keys)
		}
		if err != nil {
			t.Errorf("%s: %v", p.rel, err)
			continue
		}
		loaded++
		out, n, err := convertAndValidate(proj)
		if err != nil {
			t.Errorf("%s: %v", p.rel, err)
			continue
		}
		again, _, _ := convertAndValidate(proj)
		if !bytes.Equal(out, again) {
			t.Errorf("%s: two conversions of the same project differ", p.rel)
			continue
		}
		passed++
		objects += n
		res, _ := kube.Convert(proj, kube.Options{})
		dropped += res.Dropped()
	}
	fmt.Printf("kubernetes: %d/%d projects convert and validate (%d objects, %d keys not carried over)\n", passed, loaded, objects, dropped)
	if loaded == 0 {
		t.Fatalf("no corpus project loaded under %s", root)
	}
}

func convertAndValidate(p *compose.Project) ([]byte, int, error) {
	res, err := kube.Convert(p, kube.Options{})
	if err != nil {
		return nil, 0, err
	}
	out, err := res.YAML()
	if err != nil {
		return nil, 0, err
	}
	if err := kube.ValidateYAML(out); err != nil {
		return nil, 0, err
	}
	if err := res.CheckReferences(); err != nil {
		return nil, 0, err
	}
	return out, len(res.Objects), nil
}
