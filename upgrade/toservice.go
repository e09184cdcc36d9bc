package upgrade

import (
	"context"
	"errors"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// ToServiceOptions are the flags of `upgrade FROM TO` (original-behavior.md §3.7).
type ToServiceOptions struct {
	BatchSize      int64 // --batch-size (default 2)
	IntervalMillis int64 // --interval (default 2000)
	// FinalScale is --scale; -1 (or 0) keeps FROM's scale. rancher-compose.yml's scale never sets it.
	FinalScale  int64
	UpdateLinks bool // --update-links (default true in the original)
	Wait        bool // --wait: wait for the upgrade to finish
	Cleanup     bool // --cleanup: then remove FROM when it reached scale 0
	Pull        bool // --pull: pull TO's images first
}

// Deleter removes a service; --cleanup needs it.
type Deleter interface {
	DeleteService(ctx context.Context, id string) error
}

const labelGlobal = "io.rancher.scheduler.global"

// UpgradeToService moves the scale of FROM to TO with a toServiceStrategy, as `upgrade FROM TO` does:
// TO is created (scale 0, linked, activated) when missing, its images pulled with --pull, then FROM's
// upgrade action runs; --wait/--cleanup wait for it and --cleanup removes FROM once at scale 0.
func UpgradeToService(ctx context.Context, api API, em progress.Emitter, observed *Observed, from, to *Desired, opts ToServiceOptions) error {
	if from == nil || to == nil {
		return errors.New("upgrade needs two services of the project")
	}
	src := observed.Services[from.Name]
	if src == nil {
		return fmt.Errorf("Failed to find service %s", from.Name)
	}
	if labelOf(src.LaunchConfig, labelGlobal) == "true" {
		return errors.New("Upgrade is not supported for global services")
	}
	x := &executor{api: api, em: em, health: defaultHealth(api), now: timeNow, plan: &Plan{Stack: observed.Stack}, ids: map[string]string{}}
	dst := observed.Services[to.Name]
	if dst == nil {
		id, err := createAtScaleZero(ctx, api, em, observed, to)
		if err != nil {
			return err
		}
		dst = &Service{ID: id, Name: to.Name, LaunchConfig: to.LaunchConfig}
	}
	if labelOf(dst.LaunchConfig, labelGlobal) == "true" || labelOf(to.LaunchConfig, labelGlobal) == "true" {
		return errors.New("Upgrade is not supported for global services")
	}
	if opts.Pull && len(to.Images) > 0 {
		if err := x.pull(ctx, &ServicePlan{Name: to.Name, desired: to}, Step{Images: to.Images}); err != nil {
			return err
		}
	}
	scale := opts.FinalScale
	if scale <= 0 {
		scale = src.Scale
	}
	body := map[string]any{"toServiceStrategy": map[string]any{
		"toServiceId": dst.ID, "finalScale": scale, "batchSize": orDefault(opts.BatchSize, 2),
		"intervalMillis": orDefault(opts.IntervalMillis, 2000), "updateLinks": opts.UpdateLinks}}
	em.Emit(from.Name, progress.Working, fmt.Sprintf("Upgrading %s to %s, scale=%d", from.Name, to.Name, scale))
	if _, err := api.ServiceAction(ctx, src.ID, actionUpgrade, body); err != nil {
		return fmt.Errorf("upgrading %s to %s: %w", from.Name, to.Name, err)
	}
	if !opts.Wait && !opts.Cleanup {
		return nil
	}
	if err := x.settle(ctx, from.Name, src.ID); err != nil {
		return err
	}
	em.Emit(from.Name, progress.Done, fmt.Sprintf("Upgraded %s to %s", from.Name, to.Name))
	if opts.Cleanup {
		return cleanupSource(ctx, api, em, from.Name, src.ID)
	}
	return nil
}

// createAtScaleZero creates TO, sets its scale to 0, then links and activates it (§3.7 step 2).
func createAtScaleZero(ctx context.Context, api API, em progress.Emitter, observed *Observed, to *Desired) (string, error) {
	sp := &ServicePlan{Name: to.Name, Kind: to.Kind, State: stateMissing, desired: to, Steps: []Step{
		{Kind: StepCreate, Body: to.CreateBody},
		{Kind: StepScale, Scale: 0, Body: map[string]any{bodyFieldScale: 0}},
	}}
	if to.ManagesLinks && len(to.Links) > 0 {
		sp.Steps = append(sp.Steps, linkStep(sp, to, observed, "new service"))
	}
	sp.Steps = append(sp.Steps, Step{Kind: StepActivate})
	res, err := Execute(ctx, &Plan{Stack: observed.Stack, StackID: observed.StackID, Services: []*ServicePlan{sp}}, api, em)
	if err != nil {
		return "", err
	}
	return res.Services[0].id, nil
}

func cleanupSource(ctx context.Context, api API, em progress.Emitter, name, id string) error {
	src, err := api.GetService(ctx, id)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if src.Scale != 0 {
		em.Emit(name, progress.Warning, fmt.Sprintf("Not deleting service %s, scale is not 0 but %d", name, src.Scale))
		return nil
	}
	d, ok := api.(Deleter)
	if !ok {
		return errors.New("this API cannot remove services")
	}
	em.Emit(name, progress.Working, "Deleting")
	if err := d.DeleteService(ctx, id); err != nil {
		return fmt.Errorf("removing %s: %w", name, err)
	}
	em.Emit(name, progress.Done, "Deleted")
	return nil
}

func orDefault(v, def int64) int64 {
	if v <= 0 {
		return def
	}
	return v
}
