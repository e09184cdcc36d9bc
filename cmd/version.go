package cmd

import (
	"runtime/debug"
	"strings"
)

// versionString is what --version prints after "rancher-compose version": the module version and the
// VCS revision the binary was built from, as Go records them in the binary.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return describeBuild(Version, info)
}

// describeBuild renders a version such as "v0.3.0 (rev abc1234, dirty)": version is the -ldflags value
// when set, else the module version of info; "dev" only when neither says anything.
func describeBuild(version string, info *debug.BuildInfo) string {
	var rev string
	dirty := false
	if info != nil {
		if version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(7, len(s.Value))]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	if rev == "" {
		return version
	}
	parts := []string{"rev " + rev}
	if dirty {
		parts = append(parts, "dirty")
	}
	return version + " (" + strings.Join(parts, ", ") + ")"
}
