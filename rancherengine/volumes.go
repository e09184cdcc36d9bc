package rancherengine

import (
	"context"
	"fmt"
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// namedVolume is the part of a volume resource an external-volume check reads.
type namedVolume struct {
	resources.Resource
	Name string `json:"name,omitempty"`
}

// ensureVolumes creates the stack's volume templates for the top-level `volumes:` of a version 2 project, as
// the original did before creating services: an external volume must exist, a template whose driver changed
// is refused (it would have to be recreated), a missing one is created.
func (s *Session) ensureVolumes(ctx context.Context, p *compose.Project, st *resources.Stack) error {
	names := make([]string, 0, len(p.Volumes))
	for n := range p.Volumes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		v := p.Volumes[name]
		if v == nil {
			v = &compose.Volume{}
		}
		if err := s.ensureVolume(ctx, st, name, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) ensureVolume(ctx context.Context, st *resources.Stack, name string, v *compose.Volume) error {
	if v.External {
		ext := name
		if v.ExternalName != "" {
			ext = v.ExternalName
		}
		found, err := rancher.NewHandle[namedVolume](s.Client, "volume").ByName(ctx, ext, rancher.Filters{})
		if err != nil {
			return fmt.Errorf("looking up volume %s: %w", ext, err)
		}
		if found == nil {
			return fmt.Errorf("Volume %s declared as external, but could not be found. Please create the volume manually", ext)
		}
		return nil
	}
	existing, err := s.Client.VolumeTemplates().ByName(ctx, name, rancher.Filters{"stackId": st.Id})
	if err != nil {
		return fmt.Errorf("looking up volume template %s: %w", name, err)
	}
	if existing != nil {
		if existing.Driver != v.Driver {
			return fmt.Errorf("Volume %q needs to be recreated - driver has changed", name)
		}
		return nil
	}
	s.Events.Emit("volume "+name, progress.Working, "Creating volume template "+name)
	body := map[string]any{"name": name, "stackId": st.Id, "driver": v.Driver, "driverOpts": v.DriverOpts, "perContainer": v.PerContainer}
	vt, err := s.Client.VolumeTemplates().Create(ctx, body)
	if err != nil {
		return fmt.Errorf("creating volume template %s: %w", name, err)
	}
	if _, err := WaitReporting(ctx, s.Events, s.Client.VolumeTemplates(), vt, "volume "+name, "creating"); err != nil {
		return fmt.Errorf("creating volume template %s: %w", name, err)
	}
	s.Events.Emit("volume "+name, progress.Done, "Created volume template "+name)
	return nil
}
