package cmd

import (
	"runtime/debug"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/rancher-compose-ng/rancher-compose", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	cases := []struct {
		name    string
		ldflags string
		info    *debug.BuildInfo
		want    string
	}{
		{"tagged, clean", "", info("v0.3.0", "vcs.revision", "abc1234def5678", "vcs.modified", "false"), "v0.3.0 (rev abc1234)"},
		{"pseudo-version, dirty", "", info("v0.0.0-20261205141500-abc1234def56+dirty", "vcs.revision", "abc1234def5678", "vcs.modified", "true"),
			"v0.0.0-20261205141500-abc1234def56+dirty (rev abc1234, dirty)"},
		{"devel with VCS", "", info("(devel)", "vcs.revision", "abc1234def5678", "vcs.modified", "true"), "dev (rev abc1234, dirty)"},
		{"no VCS (go run, tests)", "", info("(devel)"), "dev"},
		{"no build info", "", nil, "dev"},
		{"-ldflags wins", "v1.2.3", info("(devel)", "vcs.revision", "abc1234def5678"), "v1.2.3 (rev abc1234)"},
	}
	for _, c := range cases {
		if got := describeBuild(c.ldflags, c.info); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
