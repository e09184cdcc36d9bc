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

// printJSON writes v indented to w.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	return nil
}
