package cmd

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestTransformCacheDirFollowsUserCacheDir(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		t.Skip("the XDG rules are those of Linux and the other Unixes")
	}
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}, "/x/cache/rancher-compose/transform"},
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}, "/home/u/.cache/rancher-compose/transform"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.cache/rancher-compose/transform"},
		{map[string]string{"HOME": "relative"}, ""},
		{map[string]string{}, ""},
	}
	for _, c := range cases {
		got, ok := transformCacheDir(func(k string) (string, bool) { v, ok := c.env[k]; return v, ok })
		if got != filepath.FromSlash(c.want) || ok != (c.want != "") {
			t.Errorf("%v: %q, %v; want %q", c.env, got, ok, c.want)
		}
	}
}

func TestTransformCacheSwitch(t *testing.T) {
	for v, off := range map[string]bool{"": false, "on": false, "1": false, "OFF": true, "off": true, "false": true, "0": true} {
		if got, err := parseTransformCacheSwitch(v); err != nil || got != off {
			t.Errorf("%q: off=%v, %v; want %v", v, got, err, off)
		}
	}
	if _, err := parseTransformCacheSwitch("sometimes"); err == nil {
		t.Error(`"sometimes": no error`)
	}
}
