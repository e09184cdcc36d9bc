package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
)

// checkFormat validates --format (text or json).
func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usageErrorf("--format must be text or json, got %q", format)
	}
	return nil
}

// printOutcome writes the plan (dry run) or, with --format json, the result to stdout.
func printOutcome(f *Factory, format string, dryRun bool, out *rancherengine.DeployOutcome) error {
	if out == nil {
		return nil
	}
	switch {
	case dryRun && out.Plan != nil && format == "json":
		return printJSON(f.IO.Out, out.Plan)
	case dryRun && out.Plan != nil:
		_, err := f.IO.Out.Write([]byte(out.Plan.String()))
		return err
	case format == "json" && out.Result != nil:
		return printJSON(f.IO.Out, out.Result)
	}
	return nil
}

// printJSON writes v indented to w.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	return nil
}
