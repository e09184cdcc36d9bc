package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// rollingUpdate maps upgrade_strategy: start_first → maxSurge = batch_size and maxUnavailable 0 (new
// containers start before old ones stop), otherwise maxUnavailable = batch_size and maxSurge 0;
// interval_millis → minReadySeconds (how long a new pod must stay ready before the next batch).
// deploy.update_config fills what upgrade_strategy leaves unset (compose.Service.UpgradeStrategy).
// ok is false when the service has no upgrade_strategy (Kubernetes' defaults then apply).
func (c *converter) rollingUpdate(s *compose.Service) (surge, unavailable *intstr.IntOrString, minReady int32, ok bool) {
	us := s.UpgradeStrategy()
	if us == nil {
		return nil, nil, 0, false
	}
	c.use(s, "rancher.upgrade_strategy")
	batch := intstr.FromInt32(atLeastOne(us.BatchSize, 1))
	zero := intstr.FromInt32(0)
	if us.StartFirst {
		surge, unavailable = &batch, &zero
	} else {
		surge, unavailable = &zero, &batch
	}
	if us.IntervalMillis > 0 {
		minReady = seconds(us.IntervalMillis, 0)
	}
	return surge, unavailable, minReady, true
}

// deploymentStrategy is the Deployment form of rollingUpdate.
func (c *converter) deploymentStrategy(s *compose.Service) (appsv1.DeploymentStrategy, int32) {
	surge, unavailable, minReady, ok := c.rollingUpdate(s)
	if !ok {
		return appsv1.DeploymentStrategy{}, 0
	}
	return appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: surge, MaxUnavailable: unavailable}}, minReady
}

// daemonSetStrategy is the DaemonSet form of rollingUpdate.
func (c *converter) daemonSetStrategy(s *compose.Service) (appsv1.DaemonSetUpdateStrategy, int32) {
	surge, unavailable, minReady, ok := c.rollingUpdate(s)
	if !ok {
		return appsv1.DaemonSetUpdateStrategy{}, 0
	}
	return appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxSurge: surge, MaxUnavailable: unavailable}}, minReady
}
