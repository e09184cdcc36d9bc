package rancherengine

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
func (s *Session) findOrphans(p *compose.Project, existing map[string]*resources.Service, req DeployRequest) []string {
	if !req.Orphans {
		return nil
	}
	live := make([]string, 0, len(existing))
	for name := range existing {
		live = append(live, name)
	}
	orphans := p.Orphans(live)
	if len(orphans) > 0 && !req.RemoveOrphans {
		s.Events.Emit("stack "+p.Name, progress.Warning, fmt.Sprintf("found services in the stack that are in no compose file (orphans): %s; --remove-orphans removes them",
			strings.Join(orphans, ", ")))
	}
	return orphans
}

// settleOrphans records the orphans in the plan and the result and, with --remove-orphans, removes them
// once the deploy succeeded (still under the deploy lock).
func (s *Session) settleOrphans(ctx context.Context, existing map[string]*resources.Service, orphans []string, req DeployRequest, out *DeployOutcome) error {
	if len(orphans) == 0 {
		return nil
	}
	if out.Plan != nil {
		out.Plan.Orphans, out.Plan.RemoveOrphans = orphans, req.RemoveOrphans
	}
	if out.Result == nil {
		out.Result = &upgrade.Result{Version: upgrade.SchemaVersion, Services: []*upgrade.ServiceResult{}}
	}
	out.Result.Orphans = orphans
	if req.DryRun || !req.RemoveOrphans {
		return nil
	}
	for _, name := range orphans {
		svc := existing[name]
		err := s.ChangeAndWait(ctx, name, "Removing orphan", "removing orphan", "Removed orphan", func() (*resources.Service, error) {
			return s.Client.Services().Delete(ctx, svc)
		})
		if err != nil {
			return err
		}
		out.Result.RemovedOrphans = append(out.Result.RemovedOrphans, name)
		out.Result.Changed = true
	}
	return nil
}
