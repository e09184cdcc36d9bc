package cmd

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/transformcache"
)

// EnvTransformCache turns the transform cache off (as --no-transform-cache does) when it is "off".
const EnvTransformCache = "RANCHER_COMPOSE_TRANSFORM_CACHE"

// transformCachePurpose names the key material the client derives from the secret key for the cache.
const transformCachePurpose = "rancher-compose transform cache v1"

// parseTransformCacheSwitch reads $RANCHER_COMPOSE_TRANSFORM_CACHE: true when it turns the cache off.
func parseTransformCacheSwitch(v string) (off bool, err error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "on", "true", "1", "yes":
		return false, nil
	case "off", "false", "0", "no":
		return true, nil
	}
	return false, usageErrorf("$%s: want on or off, got %q", EnvTransformCache, v)
}

// transformCacheDir is os.UserCacheDir()/rancher-compose/transform, read through the injected lookup (so
// that tests, which give no HOME, use no cache unless they ask for one). ok is false without a home.
func transformCacheDir(lookup func(string) (string, bool)) (string, bool) {
	base := ""
	switch runtime.GOOS {
	case "windows":
		base, _ = lookup("LocalAppData")
	case "darwin", "ios":
		if home, _ := lookup("HOME"); home != "" {
			base = filepath.Join(home, "Library", "Caches")
		}
	default:
		base, _ = lookup("XDG_CACHE_HOME")
		if !filepath.IsAbs(base) {
			base = ""
			if home, _ := lookup("HOME"); home != "" {
				base = filepath.Join(home, ".cache")
			}
		}
	}
	if !filepath.IsAbs(base) {
		return "", false
	}
	return filepath.Join(base, "rancher-compose", "transform"), true
}

// openTransformCache opens the user's transform cache for this client's server, or returns nil (every
// transform is sent): when it is turned off, without a home directory, without a secret key (answers are
// never kept in clear), or when the directory cannot be made. Why it is not used goes to the verbose log.
func openTransformCache(f *Factory, g *GlobalOptions, c *rancher.Client, verbose io.Writer) *transformcache.Cache {
	if g.noTransformCache {
		return nil
	}
	dir, ok := transformCacheDir(f.LookupEnv)
	if !ok {
		logf(verbose, "transform cache: not used (no home or cache directory in the environment)")
		return nil
	}
	tc, err := transformcache.Open(dir, transformcache.Scope{URL: c.TransformURL(), ServerVersion: c.ServerVersion(),
		Secret: c.LocalKey(transformCachePurpose)})
	if errors.Is(err, transformcache.ErrNoSecret) {
		logf(verbose, "transform cache: not used (no API secret key: answers may hold passwords and are only kept encrypted)")
		return nil
	}
	if err != nil {
		logf(verbose, "transform cache: not used: %v", err)
		return nil
	}
	logf(verbose, "transform cache: %s", dir)
	return tc
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
