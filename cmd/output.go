package cmd

import (
	"encoding/json"
	"fmt"
	"io"
)

// checkFormat validates --format (text or json).
func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usageErrorf("--format must be text or json, got %q", format)
	}
	return nil
}

// printOutcome writes the plan (dry run) or, with --format json, the result to stdout.
func printOutcome(f *Factory, format string, dryRun bool, out *deployOutcome) error {
	if out == nil {
		return nil
	}
	switch {
	case dryRun && out.plan != nil && format == "json":
		return printJSON(f.IO.Out, out.plan)
	case dryRun && out.plan != nil:
		_, err := f.IO.Out.Write([]byte(out.plan.String()))
		return err
	case format == "json" && out.result != nil:
		return printJSON(f.IO.Out, out.result)
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
