package compose

import (
	"sort"
	"strconv"
	"strings"
)

// KeyRef is where one key of a service is written: its position and its YAML path.
type KeyRef struct {
	Pos  Pos
	Path string
}

// String renders "file:line:col: yaml.path".
func (k KeyRef) String() string {
	if p := k.Pos.String(); p != "" {
		return p + ": " + k.Path
	}
	return k.Path
}

// keyRefSep joins the segments of a key's lookup path (keys may hold '.' and ':').
const keyRefSep = "\x00"

// maxKeyDepth bounds how deep key positions are recorded (labels.X, lb_config.port_rules[0].protocol).
const maxKeyDepth = 4

// recordKeys remembers the position and YAML path of every key of the service's compose entry and of
// its rancher entry (under the segment "rancher"), so exporters can name the source of what they drop.
func (s *Service) recordKeys(composeNode *node, re *rancherEntry) {
	s.keys = map[string]KeyRef{}
	s.keys[""] = KeyRef{Pos: s.Pos, Path: s.path}
	walkKeys(composeNode, nil, s.path, s.keys, 0)
	if re != nil {
		s.keys["rancher"] = KeyRef{Pos: re.keyPos, Path: re.path}
		walkKeys(re.value, []string{"rancher"}, re.path, s.keys, 0)
	}
}

func walkKeys(n *node, segs []string, path string, into map[string]KeyRef, depth int) {
	if n == nil || depth >= maxKeyDepth {
		return
	}
	for _, e := range n.entries {
		sub := append(append([]string(nil), segs...), e.key)
		p := joinPath(path, e.key)
		into[strings.Join(sub, keyRefSep)] = KeyRef{Pos: e.keyPos, Path: p}
		walkKeys(e.value, sub, p, into, depth+1)
	}
	for i, it := range n.items {
		sub := append(append([]string(nil), segs...), strconv.Itoa(i))
		p := indexPath(path, i)
		into[strings.Join(sub, keyRefSep)] = KeyRef{Pos: it.pos, Path: p}
		walkKeys(it, sub, p, into, depth+1)
	}
}

// Key returns where the key named by segments is written, e.g. Key("labels", "io.rancher.sidekicks"),
// Key("rancher", "health_check", "strategy") or Key("ports", "0"). When that key is not in the files
// (a default, or a value merged from elsewhere), the nearest enclosing key that is, else the service.
func (s *Service) Key(segments ...string) KeyRef {
	for n := len(segments); n > 0; n-- {
		if r, ok := s.keys[strings.Join(segments[:n], keyRefSep)]; ok {
			return r
		}
	}
	return KeyRef{Pos: s.Pos, Path: s.path}
}

// HasKey reports whether the key named by segments is written in the files (see Key).
func (s *Service) HasKey(segments ...string) bool {
	_, ok := s.keys[strings.Join(segments, keyRefSep)]
	return ok
}

// TopKeys returns the service's top-level compose keys and, when rancher is true, its rancher keys,
// as written in the files, sorted.
func (s *Service) TopKeys(rancher bool) []string {
	var out []string
	for k := range s.keys {
		parts := strings.Split(k, keyRefSep)
		switch {
		case k == "" || k == "rancher":
		case rancher && len(parts) == 2 && parts[0] == "rancher":
			out = append(out, parts[1])
		case !rancher && len(parts) == 1:
			out = append(out, parts[0])
		}
	}
	sort.Strings(out)
	return out
}
