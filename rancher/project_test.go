package rancher

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func threeEnvironments(f *fakeAPI) {
	f.projects = []map[string]any{
		{"id": "1a5", "type": "project", "name": "Default"},
		{"id": "1a7", "type": "project", "name": "prod"},
		{"id": "1a9", "type": "project", "name": "stage"},
	}
}

func TestEnvSelectsProjectByNameOrID(t *testing.T) {
	for _, env := range []string{"prod", "1a7", "PROD"} {
		t.Run(env, func(t *testing.T) {
			f := newFakeAPI(t)
			threeEnvironments(f)
			cfg := f.config()
			cfg.Environment = env
			c, err := New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if p := c.Project(); p == nil || p.Id != "1a7" {
				t.Fatalf("project %+v", p)
			}
			if _, err := c.Stacks().List(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			want := []string{"GET /v2-beta", "GET /v2-beta/schemas", "GET /v2-beta/projects", "GET /v2-beta/projects/1a7/schemas", "GET /v2-beta/projects/1a7/stacks"}
			got := f.log()
			if len(got) >= 2 {
				slices.Sort(got[:2]) // the root and its schemas are asked for together, in either order
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("requests %v\nwant %v", got, want)
			}
		})
	}
}

func TestEnvNotFoundListsVisibleEnvironments(t *testing.T) {
	f := newFakeAPI(t)
	threeEnvironments(f)
	cfg := f.config()
	cfg.Environment = "qa"
	_, err := New(context.Background(), cfg)
	var ce *ConfigError
	if !errors.As(err, &ce) || exitCodeOf(err) != 2 {
		t.Fatalf("err = %v", err)
	}
	if want := "--env qa: no such environment; this API key sees Default (1a5), prod (1a7), stage (1a9)"; err.Error() != want {
		t.Errorf("message %q\nwant %q", err, want)
	}
}

func TestEnvWithAnEnvironmentKeyExplainsTheScope(t *testing.T) {
	f := newFakeAPI(t)
	cfg := f.config()
	cfg.Environment = "prod"
	_, err := New(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "sees Default (1a5) (an environment API key sees only its own environment") {
		t.Fatalf("err = %v", err)
	}
}

func TestEnvAmbiguousName(t *testing.T) {
	f := newFakeAPI(t)
	threeEnvironments(f)
	f.projects = append(f.projects, map[string]any{"id": "1a11", "type": "project", "name": "prod"})
	cfg := f.config()
	cfg.Environment = "prod"
	_, err := New(context.Background(), cfg)
	if err == nil || err.Error() != "--env prod is ambiguous: prod (1a11), prod (1a7); give the id instead" {
		t.Fatalf("err = %v", err)
	}
}
