package launchconfig

import (
	"context"
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// launchConfigFor builds the launch config of one compose service (a primary or a sidekick) as the
// original's createLaunchConfig did: the server's transform answer, then the client-side overrides.
func (b *Builder) launchConfigFor(ctx context.Context, s *compose.Service) (*resources.LaunchConfig, error) {
	lbImage := ""
	if s.Compose.Image == legacyLBImage {
		var err error
		if lbImage, err = b.lbImage(ctx); err != nil {
			return nil, err
		}
	}
	doc, err := NewInspectDocument(b.Project, s, lbImage)
	if err != nil {
		return nil, err
	}
	raw, err := b.Transformer.Transform(ctx, doc)
	if err != nil {
		return nil, fmt.Errorf("transforming the launch config of %s: %w", s.Name, err)
	}
	lc, err := decodeTransform(raw)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	if err := b.applyOverrides(lc, s); err != nil {
		return nil, err
	}
	lc.HealthCheck = healthCheck(s.Rancher)
	return lc, nil
}

// applyOverrides sets what the client decides itself, in the original's order (service-hash.md §3.3 1-8).
func (b *Builder) applyOverrides(lc *resources.LaunchConfig, s *compose.Service) error {
	c := &s.Compose
	lc.VolumeDriver = c.VolumeDriver
	setNetworking(lc, c.NetworkMode)
	lc.DataVolumesFromLaunchConfigs = copyStrings(c.VolumesFrom)
	if err := b.setBuild(lc, s); err != nil {
		return err
	}
	if lc.Labels == nil {
		lc.Labels = map[string]interface{}{}
	}
	rc := s.Rancher
	if rc == nil {
		rc = &compose.RancherConfig{}
	}
	lc.Kind = rc.Type
	if strings.EqualFold(lc.Kind, "virtual_machine") || strings.EqualFold(lc.Kind, "virtualmachine") {
		lc.Kind = "virtualMachine"
	}
	lc.Vcpu, lc.Userdata, lc.MemoryMb, lc.Disks = rc.Vcpu, rc.Userdata, rc.Memory, disks(rc.Disks)
	if lc.LogConfig.Config == nil {
		lc.LogConfig.Config = map[string]interface{}{}
	}
	return nil
}

// setNetworking maps network_mode: "" is Rancher's managed network, container:X shares X's network.
func setNetworking(lc *resources.LaunchConfig, mode string) {
	switch {
	case mode == "":
		lc.NetworkMode = "managed"
	case strings.HasPrefix(mode, "container:"):
		lc.NetworkMode = "container"
		lc.NetworkLaunchConfig = strings.TrimPrefix(mode, "container:")
	default:
		lc.NetworkMode = mode
	}
}

// setBuild points the launch config at a remote build context. A remote build without an image gets the
// original's time-stamped image name; a local context (uploaded to S3 by the original) is not supported.
func (b *Builder) setBuild(lc *resources.LaunchConfig, s *compose.Service) error {
	build := s.Compose.Build
	if build == nil || build.Context == "" {
		return nil
	}
	lc.Build = &resources.DockerBuild{Remote: build.Context, Dockerfile: build.Dockerfile}
	if !isRemoteContext(build.Context) {
		return fmt.Errorf("service %s: build context %q is a local directory; building from local sources "+
			"(the original's S3 upload) is not supported: build and push the image, then set image:", s.Name, build.Context)
	}
	if lc.ImageUuid == "" {
		lc.ImageUuid = fmt.Sprintf("docker:%s_%s_%d", b.Project.Name, s.Name, b.now().UnixNano()/1e6)
	}
	return nil
}

// isRemoteContext is libcompose's IsValidRemote: an http(s) URL, or a git URL.
func isRemoteContext(ctx string) bool {
	for _, p := range []string{"http://", "https://", "git://", "github.com/", "git@"} {
		if strings.HasPrefix(ctx, p) {
			return true
		}
	}
	return false
}

// healthCheck converts a rancher-compose health_check (nil when the service has none).
func healthCheck(rc *compose.RancherConfig) *resources.InstanceHealthCheck {
	if rc == nil || rc.HealthCheck == nil {
		return nil
	}
	h := rc.HealthCheck
	out := &resources.InstanceHealthCheck{
		HealthyThreshold:      h.HealthyThreshold,
		InitializingTimeout:   h.InitializingTimeout,
		Interval:              h.Interval,
		Name:                  h.Name,
		Port:                  h.Port,
		ReinitializingTimeout: h.ReinitializingTimeout,
		RequestLine:           h.RequestLine,
		ResponseTimeout:       h.ResponseTimeout,
		Strategy:              h.Strategy,
		UnhealthyThreshold:    h.UnhealthyThreshold,
	}
	if q := h.RecreateOnQuorumStrategyConfig; q != nil {
		out.RecreateOnQuorumStrategyConfig = &resources.RecreateOnQuorumStrategyConfig{Quorum: q.Quorum}
	}
	return out
}

func disks(in []compose.Disk) []resources.VirtualMachineDisk {
	if in == nil {
		return nil
	}
	out := make([]resources.VirtualMachineDisk, len(in))
	for i, d := range in {
		out[i] = resources.VirtualMachineDisk{Driver: d.Driver, Name: d.Name, Opts: d.Opts, ReadIops: d.ReadIops,
			Root: d.Root, Size: d.Size, WriteIops: d.WriteIops}
	}
	return out
}
