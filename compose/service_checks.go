package compose

import (
	"fmt"
	"strings"
	"unicode"
)

// checkImage refuses a service Rancher would create without an image: neither `image` nor `build`, or an
// empty `image`. Kinds Rancher gives their own container (load balancers), or that run none (external
// services, aliases and selector services, network and storage drivers), need no image. Version 1 files are
// checked per file, as the original did (checkImageOrBuild).
func checkImage(s *Service, diags *diagnostics) {
	if !strings.HasPrefix(s.path, "services.") || s.Compose.Build != nil || s.Compose.Image != "" || needsNoImage(s) {
		return
	}
	if s.HasKey("image") {
		ref := s.Key("image")
		diags.errorf(ref.Pos, ref.Path, "image is empty; a service needs an image (or a build)")
		return
	}
	diags.errorf(s.Pos, s.path, "service has neither an image nor a build; one must be provided")
}

// needsNoImage tells the kinds of service that Rancher creates without an image of the files'.
func needsNoImage(s *Service) bool {
	if rc := s.Rancher; rc != nil && (len(rc.ExternalIPs) > 0 || rc.Hostname != "" || rc.LBConfig != nil ||
		rc.LoadBalancerConfig != nil || rc.NetworkDriver != nil || rc.StorageDriver != nil) {
		return true
	}
	for k := range s.Compose.Labels {
		if strings.HasPrefix(k, "io.rancher.service.selector") {
			return true
		}
	}
	return false
}

// checkLabelKeys refuses label keys holding a newline or another control character: Docker and Rancher take
// them as they are, and they break every tool that reads labels back.
func checkLabelKeys(s *Service, diags *diagnostics) {
	for k := range s.Compose.Labels {
		if strings.IndexFunc(k, unicode.IsControl) >= 0 {
			path := fmt.Sprintf("%s[%q]", s.Key("labels").Path, k)
			diags.errorf(s.Key("labels", k).Pos, path, "label key %q contains a control character (newline, tab, ...)", k)
		}
	}
}
