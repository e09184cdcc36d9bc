package cmd

import (
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/urfave/cli/v2"
)

// undefinedFlagPrefix starts the flag package's error for an unknown flag, which urfave/cli passes on.
const undefinedFlagPrefix = "flag provided but not defined: -"

// checkGlobalFlags refuses an unknown flag before the command name, which would otherwise make its value
// look like the command ("No help topic for 'hc'" for `--projet hc up`).
func checkGlobalFlags(app *cli.App, args []string) error {
	known := flagNames(append(app.Flags, cli.HelpFlag, cli.VersionFlag))
	end := commandIndex(app, args)
	for _, a := range args[1:min(end, len(args))] {
		if a == "-" || a == "--" || !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !known[name] {
			return &UsageError{Err: fmt.Errorf("%s%s%s", undefinedFlagPrefix, name, flagHint(name, known))}
		}
	}
	return nil
}

// withFlagHint adds a did-you-mean hint to the flag package's error for an unknown flag of a command.
func withFlagHint(err error, flags []cli.Flag) error {
	name, ok := strings.CutPrefix(err.Error(), undefinedFlagPrefix)
	if !ok {
		return err
	}
	if hint := flagHint(name, flagNames(append(flags, cli.HelpFlag))); hint != "" {
		return fmt.Errorf("%w%s", err, hint)
	}
	return err
}

func flagNames(flags []cli.Flag) map[string]bool {
	names := map[string]bool{}
	for _, fl := range flags {
		for _, n := range fl.Names() {
			names[n] = true
		}
	}
	return names
}

// flagHint is " (did you mean --NAME?)" for the known long flag closest to name, or "".
func flagHint(name string, known map[string]bool) string {
	best, bestDist := "", 3
	for k := range known {
		if len(k) < 2 || len(name) < 3 {
			continue
		}
		d := min(compose.EditDistance(name, k), prefixDistance(name, k))
		if d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean --" + best + "?)"
}

// prefixDistance is how far name is from being a start of known (a typo in a flag typed in part), plus one
// so that a full-name match of the same distance wins.
func prefixDistance(name, known string) int {
	best := len(name)
	for n := max(1, len(name)-1); n <= min(len(known)-1, len(name)+1); n++ {
		best = min(best, compose.EditDistance(name, known[:n])+1)
	}
	return best
}
