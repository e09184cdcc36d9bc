// Package digest computes the io.rancher.service.hash digests exactly as rancher-compose v0.12.5 does
// (its digest/hash.go), so that services deployed by the original are not seen as out of sync by ours.
//
// A digest is the SHA-1 of a walk over the value after a yaml.v2 Marshal + Unmarshal round trip: every map's
// keys are sorted byte-wise after fmt %v, the ignored keys are skipped at every depth, and each key and
// scalar is written as its %v text followed by one NUL byte (see ../shared/docs/service-hash.md §2-§5).
package digest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"sort"

	// yaml.v2 at v2.0.0 rather than v3 or a later v2, because the digest is defined by what that library's
	// Marshal + Unmarshal does to a value: floats formatted at float32 precision (1.2345679e+08), omitempty
	// through its isZero (structs zero field by field), untagged fields keyed by their lower-cased Go name,
	// embedded structs nested rather than inlined, and YAML 1.1 scalar typing on the way back (yes/on → true,
	// 0755 → octal int, "1e3" quoted). v2.0.0 is the oldest release the module proxy serves and keeps the
	// float32 formatting of the commit the original vendored (e4d366f); v2.1.0 and later format float64 at
	// full precision, which would change digests of numbers in labels, environment and metadata.
	yaml "gopkg.in/yaml.v2"
)

// Key is the label (launch configs) and metadata (services) key under which the digests are stored.
const Key = "io.rancher.service.hash"

// ignoredKeys are skipped, with their whole value, wherever they appear as a map key, at any depth.
var ignoredKeys = map[string]bool{
	Key:                  true,
	"links":              true,
	"scale":              true,
	"selector_container": true,
	"selector_link":      true,
	"stack_id":           true,
}

// Convert copies in to out through a yaml.v2 Marshal then Unmarshal, like libcompose's utils.Convert, which
// the original used to build and to hash values. out must be a pointer.
func Convert(in, out interface{}) error {
	text, err := yaml.Marshal(in)
	if err != nil {
		return fmt.Errorf("encoding %T as YAML: %w", in, err)
	}
	if err := yaml.Unmarshal(text, out); err != nil {
		return fmt.Errorf("decoding YAML into %T: %w", out, err)
	}
	return nil
}

// Of returns the digest of one value (a *resources.CompositeService, *resources.LaunchConfig or
// resources.SecondaryLaunchConfig, or any value yaml.v2 can marshal as a mapping).
func Of(v interface{}) (string, error) {
	m := map[interface{}]interface{}{}
	if err := Convert(v, &m); err != nil {
		return "", fmt.Errorf("hashing: %w", err)
	}
	h := sha1.New()
	writeMap(h, m)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Stream returns the exact bytes Of hashes, for tests and for explaining a digest difference.
func Stream(v interface{}) ([]byte, error) {
	m := map[interface{}]interface{}{}
	if err := Convert(v, &m); err != nil {
		return nil, fmt.Errorf("hashing: %w", err)
	}
	var b byteSink
	writeMap(&b, m)
	return b, nil
}

type byteSink []byte

func (b *byteSink) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

func writeMap(w io.Writer, m map[interface{}]interface{}) {
	keys := make([]string, 0, len(m))
	byText := make(map[string]interface{}, len(m))
	for k, v := range m {
		// Keys whose text collides (1 and "1") are listed twice with one value, as in the original.
		text := fmt.Sprintf("%v", k)
		keys = append(keys, text)
		byText[text] = v
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ignoredKeys[k] {
			continue
		}
		writeScalar(w, k)
		writeValue(w, byText[k])
	}
}

func writeValue(w io.Writer, v interface{}) {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		writeMap(w, t)
	case []interface{}:
		for _, e := range t {
			writeValue(w, e)
		}
	default:
		writeScalar(w, t)
	}
}

func writeScalar(w io.Writer, v interface{}) {
	_, _ = io.WriteString(w, fmt.Sprintf("%v", v))
	_, _ = w.Write([]byte{0})
}
