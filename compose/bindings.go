package compose

import (
	"encoding/json"
	"sort"
)

// bindingsDoc is the --bindings-file JSON: {"services": {"svc": {"labels": {...}, "ports": [...]}}}.
type bindingsDoc struct {
	Services map[string]struct {
		Labels map[string]any `json:"labels"`
		Ports  []any          `json:"ports"`
	} `json:"services"`
}

// applyBindings replaces the labels and ports of the services the bindings file names, before
// validation, as the original's preprocess step did.
func (l *loader) applyBindings(services map[string]*entry) {
	if l.o.BindingsFile == "" {
		return
	}
	name := l.o.BindingsFile
	data, err := l.o.readFile(l.o.abs(name))
	if err != nil {
		l.diags.errorf(Pos{File: name}, "", "%s", fileProblem(err))
		return
	}
	var doc bindingsDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		l.diags.errorf(Pos{File: name}, "", "invalid bindings JSON: %v", err)
		return
	}
	pos := Pos{File: name}
	for _, svcName := range sortedKeys(doc.Services) {
		b := doc.Services[svcName]
		e, ok := services[svcName]
		if !ok {
			l.diags.warnf(pos, "services."+svcName, "bindings name service %q, which no compose file defines; ignored", svcName)
			continue
		}
		if b.Labels != nil {
			m := newMap(pos)
			keys := make([]string, 0, len(b.Labels))
			for k := range b.Labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				m.set(k, pos, newString(pos, jsonText(b.Labels[k])))
			}
			e.value.set("labels", pos, m)
		}
		if b.Ports != nil {
			s := &node{kind: seqNode, pos: pos}
			for _, p := range b.Ports {
				s.items = append(s.items, newString(pos, jsonText(p)))
			}
			e.value.set("ports", pos, s)
		}
	}
}

func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
