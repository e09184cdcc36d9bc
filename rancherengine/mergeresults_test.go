package rancherengine

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// A service carried through both stages of a deploy (upgraded, then relinked to a deferred service) keeps
// what the first stage did to it: its action, images, and the steps done or started.
func TestMergeResultsKeepsTheFirstStageOfARelinkedService(t *testing.T) {
	first := &upgrade.Result{Services: []*upgrade.ServiceResult{{Name: "web", Action: "upgrade", Changed: true,
		OldImage: "nginx:1", NewImage: "nginx:2", Done: []upgrade.StepKind{upgrade.StepUpgrade}}}}
	second := &upgrade.Result{Services: []*upgrade.ServiceResult{{Name: "web", Action: "set-links",
		OldImage: "nginx:2", NewImage: "nginx:2", Done: []upgrade.StepKind{}, Started: []upgrade.StepKind{upgrade.StepSetLinks}}}}
	web := mergeResults(first, second).Service("web")
	if web.Action != "upgrade" || web.OldImage != "nginx:1" || web.NewImage != "nginx:2" || !web.Changed {
		t.Errorf("merged: %+v", web)
	}
	if !reflect.DeepEqual(web.Done, []upgrade.StepKind{upgrade.StepUpgrade}) || !reflect.DeepEqual(web.Started, []upgrade.StepKind{upgrade.StepSetLinks}) {
		t.Errorf("done %v started %v", web.Done, web.Started)
	}
}
