// Package rancher is the typed client of the Rancher 1.x management API (v2-beta) that rancher-compose
// deploys through.
//
// A client is built once per command from a Config (environment first, then the flags that were set):
//
//	cfg := rancher.ConfigFromEnv(f.LookupEnv)                      // RANCHER_URL, _ACCESS_KEY, _SECRET_KEY, _ENVIRONMENT
//	cfg.ApplyFlags(g.URL, g.AccessKey, g.SecretKey, g.Environment) // non-empty flags win
//	if g.Verbose {
//		cfg.Verbose = f.IO.ErrOut // one record per HTTP exchange, secrets redacted
//	}
//	c, err := rancher.New(ctx, cfg) // normalizes the URL, discovers schemas, applies --env
//	if err == nil {
//		err = c.CheckCanDeploy(ctx) // the key may create stacks here (else a hint about key kinds)
//	}
//
// Each resource type has a handle with List (all pages), ByName, Get, Create, Update, Delete, Action,
// Reload and Wait:
//
//	stack, err := c.Stacks().ByName(ctx, "demo", nil)                       // nil, nil when absent
//	svc, err := c.Services().ByName(ctx, "web", rancher.Filters{"stackId": stack.Id})
//	lb, err := c.ServiceKind("loadBalancerService").Create(ctx, body)       // POST /loadbalancerservices
//	svc, err = c.Services().Action(ctx, svc, "activate", nil)
//	svc, err = c.Services().Wait(ctx, svc)                                  // until transitioning != "yes"
//	ctrs, err := rancher.ListLink[resources.Container](ctx, c, svc, "instances", nil)
//	err = c.Transform(ctx, inspectDoc, &launchConfig)                       // POST scripts/transform
//
// Every request is bound to the caller's context. Each answer is read whole within its attempt: an
// attempt that receives no data for Config.ReadTimeout is abandoned, and a truncated body, a body that is
// not JSON (an HTML page with status 200), a stall or a body longer than Config.MaxAnswerBytes (64 MiB)
// is a failed attempt. Transient failures (connection
// errors, 502/503/504, those unusable answers for reads, 409 on actions) are retried with bounded backoff.
// A create is never repeated blindly: after a failure whose outcome is unknown the resource is looked up
// by name (and stackId) first. An action whose answer was lost is repeated only if the re-read resource
// shows it did not take effect. A redirect that leaves the origin (scheme, host, port) drops the
// Authorization header; Config.Warnings hears once when the key goes over plain http to another machine.
// Every failure is returned: *APIError (ExitCode 5 for 401/403, 502/503/504 and unusable answers, whose
// Problem says what was wrong), *UnreachableError (5), *NotAnAPIError (5: RANCHER_URL answers but has no
// schemas), *ConfigError (2), *ActionUnavailableError, *TransitionError, *WaitError (wraps the context's
// error, so --timeout maps to exit 4).
package rancher
