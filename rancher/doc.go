// Package rancher is the typed client of the Rancher 1.x management API (v2-beta) that rancher-compose
// deploys through.
//
// A client is built once per command from a Config (environment first, then the flags that were set):
//
//	cfg := rancher.ConfigFromEnv(os.LookupEnv)
//	cfg.ApplyFlags(g.URL, g.AccessKey, g.SecretKey, g.Environment)
//	c, err := rancher.New(ctx, cfg)
//
// New normalizes the URL the way the original did, discovers the schemas through the X-API-Schemas header
// and, with Config.Environment (--env), switches to the named environment. Each resource type then has a
// handle (c.Stacks(), c.Services(), c.Containers(), ...) with List, ByName, Get, Create, Update, Delete,
// Action, Reload and Wait. Transient failures are retried with backoff without ever creating a duplicate or
// repeating an action that took effect; every failure is returned, never swallowed.
package rancher
