package cmd

import (
	"context"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// EnvLockTTL sets the deploy lock's lease (as --lock-ttl does): a Go duration, default 60s.
const EnvLockTTL = "RANCHER_COMPOSE_LOCK_TTL"

// minLockTTL keeps the lease long enough to be renewed (every third of it) over a slow API.
const minLockTTL = time.Second

// lockFlag binds --force-unlock for the commands that change a stack.
func lockFlag(force *bool) cli.Flag {
	return &cli.BoolFlag{Name: "force-unlock", Usage: "break another run's live deploy lock on the stack (only when that run is known to be dead; an expired lock is taken over anyway)", Destination: force}
}

// parseLockTTL reads --lock-ttl or RANCHER_COMPOSE_LOCK_TTL ("": the default lease).
func parseLockTTL(v string) (time.Duration, error) {
	if v == "" {
		return lock.DefaultTTL, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < minLockTTL {
		return 0, usageErrorf("--lock-ttl (or $%s): want a duration of at least %s, such as 60s, got %q", EnvLockTTL, minLockTTL, v)
	}
	return d, nil
}

// invocation is the command line of this run, split at the command name, for the break command.
type invocation struct{ global, command []string }

type invocationKey struct{}

func withInvocation(ctx context.Context, app *cli.App, args []string) context.Context {
	ci := commandIndex(app, args)
	if ci > len(args) {
		ci = len(args)
	}
	return context.WithValue(ctx, invocationKey{}, invocation{global: args[1:ci], command: args[ci:]})
}

// secretFlags are the global flags left out of a printed command line (credentials, and -p, given anew).
var secretFlags = map[string]bool{"url": true, "access-key": true, "secret-key": true, "p": true, "project-name": true}

// breakCommand is this run's command line with --force-unlock, for the refusal's message: credentials
// left out (they come from the environment), -p STACK explicit.
func breakCommand(ctx context.Context, stack string) string {
	inv, _ := ctx.Value(invocationKey{}).(invocation)
	parts := []string{"rancher-compose", "-p", shellQuote(stack)}
	for i := 0; i < len(inv.global); i++ {
		a := inv.global[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if secretFlags[name] {
			if !hasValue {
				i++
			}
			continue
		}
		parts = append(parts, shellQuote(a))
	}
	for _, a := range inv.command {
		if a != "--force-unlock" && a != "-force-unlock" {
			parts = append(parts, shellQuote(a))
		}
	}
	if len(inv.command) == 0 {
		parts = append(parts, "COMMAND")
	}
	return strings.Join(append(parts, "--force-unlock"), " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`;&|<>(){}*?[]#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
