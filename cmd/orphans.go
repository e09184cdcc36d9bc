package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// findOrphans names the stack's services in none of the files, and warns about them unless the run
// removes them.
func (s *session) findOrphans(p *compose.Project, existing map[string]*resources.Service, req deployRequest) []string {
	if !req.orphans {
		return nil
	}
	live := make([]string, 0, len(existing))
	for name := range existing {
		live = append(live, name)
	}
	orphans := p.Orphans(live)
	if len(orphans) > 0 && !req.removeOrphans {
		s.em.Emit("stack "+p.Name, progress.Warning, fmt.Sprintf("found services in the stack that are in no compose file (orphans): %s; --remove-orphans removes them",
			strings.Join(orphans, ", ")))
	}
	return orphans
}

// settleOrphans records the orphans in the plan and the result and, with --remove-orphans, removes them
// once the deploy succeeded (still under the deploy lock).
func (s *session) settleOrphans(ctx context.Context, existing map[string]*resources.Service, orphans []string, req deployRequest, out *deployOutcome) error {
	if len(orphans) == 0 {
		return nil
	}
	if out.plan != nil {
		out.plan.Orphans, out.plan.RemoveOrphans = orphans, req.removeOrphans
	}
	if out.result == nil {
		out.result = &upgrade.Result{Version: upgrade.SchemaVersion, Services: []*upgrade.ServiceResult{}}
	}
	out.result.Orphans = orphans
	if req.dryRun || !req.removeOrphans {
		return nil
	}
	for _, name := range orphans {
		svc := existing[name]
		err := s.changeAndWait(ctx, name, "Removing orphan", "removing orphan", "Removed orphan", func() (*resources.Service, error) {
			return s.client.Services().Delete(ctx, svc)
		})
		if err != nil {
			return err
		}
		out.result.RemovedOrphans = append(out.result.RemovedOrphans, name)
		out.result.Changed = true
	}
	return nil
}
