package rancherengine

import "github.com/rancher-compose-ng/rancher-compose/upgrade"

// CreateOnly shapes a plan for create: a service keeps its create and link steps (links only when it is
// new or inactive).
func CreateOnly(sp *upgrade.ServicePlan) {
	keepLinks := sp.State == "missing" || sp.State == "inactive"
	sp.Steps = KeepSteps(sp.Steps, func(st upgrade.Step) bool {
		return st.Kind == upgrade.StepCreate || (keepLinks && st.Kind == upgrade.StepSetLinks)
	})
	sp.Warnings = nil
	if !sp.Has(upgrade.StepCreate) {
		sp.Action = "unchanged"
	}
}

// StartOnly shapes a plan for start: an existing service keeps its link and activate steps; a missing one
// is left alone.
func StartOnly(sp *upgrade.ServicePlan) {
	if sp.State == "missing" {
		sp.Steps = []upgrade.Step{}
		sp.Notes = append(sp.Notes, "not created: skipped (use up or create)")
	} else {
		sp.Steps = KeepSteps(sp.Steps, func(st upgrade.Step) bool {
			return st.Kind == upgrade.StepSetLinks || st.Kind == upgrade.StepActivate
		})
	}
	sp.Warnings = nil
	sp.Action = "start"
	if len(sp.Steps) == 0 {
		sp.Action = "unchanged"
	}
}
