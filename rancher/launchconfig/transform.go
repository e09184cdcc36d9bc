package launchconfig

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Transformer converts an inspect document to a launch config: in production POST <api>/scripts/transform,
// in tests a stub. It returns the server's JSON answer unchanged: the launch config digests hash exactly
// what the server answered, so the answer must not be rebuilt.
type Transformer interface {
	Transform(ctx context.Context, doc *InspectDocument) (json.RawMessage, error)
}

// TransformFunc adapts a function to a Transformer.
type TransformFunc func(ctx context.Context, doc *InspectDocument) (json.RawMessage, error)

// Transform calls f.
func (f TransformFunc) Transform(ctx context.Context, doc *InspectDocument) (json.RawMessage, error) {
	return f(ctx, doc)
}

// decodeTransform decodes a transform answer as the original did: encoding/json into go-rancher's
// LaunchConfig (case-insensitive keys, unknown keys dropped, numbers in maps as float64).
func decodeTransform(raw []byte) (*resources.LaunchConfig, error) {
	lc := &resources.LaunchConfig{}
	if err := json.Unmarshal(raw, lc); err != nil {
		return nil, fmt.Errorf("decoding the scripts/transform answer: %w", err)
	}
	if lc.LogConfig == nil {
		// The original dereferenced logConfig and crashed without it; an empty one is the closest value.
		lc.LogConfig = &resources.LogConfig{}
	}
	return lc, nil
}
