package rancher

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// selectEnvironment resolves --env (an environment id or name) among the projects the key can see, as
// the rancher CLI does, then rediscovers the schemas scoped to that environment.
func (c *Client) selectEnvironment(ctx context.Context, env string) error {
	projects, err := c.Projects().List(ctx, nil)
	if err != nil {
		return fmt.Errorf("--env %s: listing the environments this key can see: %w", env, err)
	}
	p, err := pickProject(projects, env)
	if err != nil {
		return err
	}
	if err := c.discover(ctx, projectSchemasURL(c.url, p.Id)); err != nil {
		return fmt.Errorf("--env %s: opening environment %s (%s): %w", env, p.Name, p.Id, err)
	}
	c.project = p
	return nil
}

// pickProject matches env against ids first, then names (exactly, then ignoring case).
func pickProject(projects []resources.Project, env string) (*resources.Project, error) {
	for i := range projects {
		if projects[i].Id == env {
			return &projects[i], nil
		}
	}
	for _, same := range []func(a, b string) bool{func(a, b string) bool { return a == b }, strings.EqualFold} {
		var hits []*resources.Project
		for i := range projects {
			if same(projects[i].Name, env) {
				hits = append(hits, &projects[i])
			}
		}
		switch {
		case len(hits) == 1:
			return hits[0], nil
		case len(hits) > 1:
			return nil, &ConfigError{Msg: fmt.Sprintf("--env %s is ambiguous: %s; give the id instead", env, listProjects(derefAll(hits)))}
		}
	}
	msg := fmt.Sprintf("--env %s: no such environment; this API key sees %s", env, listProjects(projects))
	if len(projects) <= 1 {
		msg += " (an environment API key sees only its own environment; use an account API key to choose among several)"
	}
	return nil, &ConfigError{Msg: msg}
}

func derefAll(ps []*resources.Project) []resources.Project {
	out := make([]resources.Project, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func listProjects(projects []resources.Project) string {
	if len(projects) == 0 {
		return "no environment"
	}
	names := make([]string, len(projects))
	for i, p := range projects {
		names[i] = fmt.Sprintf("%s (%s)", p.Name, p.Id)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// CheckCanDeploy verifies that the key may create stacks here, as the original checked before any
// command; the error explains account versus environment keys and lists the environments it can see.
func (c *Client) CheckCanDeploy(ctx context.Context) error {
	if c.CanCreate("stack") {
		return nil
	}
	msg := fmt.Sprintf("can not create a stack, check API key [%s] for [%s]: an account API key needs --env NAME|ID "+
		"(or RANCHER_ENVIRONMENT) naming an environment, or use an environment API key", c.cfg.AccessKey, redactURL(c.url))
	if projects, err := c.Projects().List(ctx, nil); err == nil && len(projects) > 0 {
		msg += "; environments visible to this key: " + listProjects(projects)
	}
	return &ConfigError{Msg: msg}
}
