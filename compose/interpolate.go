package compose

import (
	"errors"
	"sort"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose/interp"
	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

// rancherMacros are the variables Rancher expands itself inside scheduler affinity labels.
var rancherMacros = map[string]bool{"stack_name": true, "service_name": true, "container_name": true, "project_name": true}

const affinityLabelPrefix = "io.rancher.scheduler.affinity"

// interpolator substitutes variables in raw trees and remembers every reference with its position.
type interpolator struct {
	lookup interp.Lookup
	diags  *diagnostics
	refs   map[string][]Pos // variable → every place it is referenced
	blank  map[string][]Pos // variable → places where it was unset and blanked
	kept   map[string][]Pos // Rancher macros left verbatim
}

func newInterpolator(lookup interp.Lookup, diags *diagnostics) *interpolator {
	return &interpolator{lookup: lookup, diags: diags, refs: map[string][]Pos{}, blank: map[string][]Pos{}, kept: map[string][]Pos{}}
}

// tree substitutes every string scalar under n (values only; keys are never interpolated).
func (ip *interpolator) tree(n *node, path string) {
	ip.walk(n, path, false)
}

func (ip *interpolator) walk(n *node, path string, affinity bool) {
	if n == nil {
		return
	}
	switch n.kind {
	case mapNode:
		for _, e := range n.entries {
			ip.walk(e.value, joinPath(path, e.key), affinity || strings.HasPrefix(e.key, affinityLabelPrefix))
		}
	case seqNode:
		for i, it := range n.items {
			ip.walk(it, indexPath(path, i), affinity || (it != nil && strings.HasPrefix(it.value, affinityLabelPrefix)))
		}
	default:
		if n.str && strings.IndexByte(n.value, '$') >= 0 {
			ip.scalar(n, path, affinity)
		}
	}
}

func (ip *interpolator) scalar(n *node, path string, affinity bool) {
	opts := interp.Options{Lookup: ip.lookup}
	if affinity {
		opts.Keep = func(name string) bool { return rancherMacros[name] }
	}
	text := n.value
	res, err := interp.Expand(text, opts)
	if err != nil {
		ip.reportError(n, path, err)
		return
	}
	for _, r := range res.Refs {
		p := refPos(n, text, r.Offset)
		if r.Use == interp.UseSet && vars.LooksSecret(r.Name) {
			n.secret = true
		}
		ip.refs[r.Name] = append(ip.refs[r.Name], p)
		switch r.Use {
		case interp.UseBlank:
			ip.blank[r.Name] = append(ip.blank[r.Name], p)
			n.blanked = true
		case interp.UseKept:
			ip.kept[r.Name] = append(ip.kept[r.Name], p)
		}
	}
	n.value = res.Value
}

func (ip *interpolator) reportError(n *node, path string, err error) {
	n.reported = true
	var syn *interp.SyntaxError
	var req *interp.RequiredError
	switch {
	case errors.As(err, &syn):
		ip.diags.errorf(refPos(n, n.value, syn.Offset), path, "%v", err)
	case errors.As(err, &req):
		ip.diags.errorf(refPos(n, n.value, req.Offset), path, "%v", err)
	default:
		ip.diags.errorf(n.pos, path, "%v", err)
	}
}

// refPos estimates the file position of byte offset within a scalar that starts at n.pos.
func refPos(n *node, text string, offset int) Pos {
	if offset > len(text) {
		offset = len(text)
	}
	if n.block != nil {
		if p, ok := n.block.pos(text, offset); ok {
			p.File = n.pos.File
			return p
		}
	}
	p := n.pos
	before := text[:offset]
	if nl := strings.Count(before, "\n"); nl > 0 {
		p.Line += nl
		p.Col = offset - strings.LastIndexByte(before, '\n')
		return p
	}
	if p.Col > 0 {
		p.Col += offset
		if n.quoted {
			p.Col++
		}
	}
	return p
}

// report adds the unset-variable warnings (or errors under strict) and the macro infos.
func (ip *interpolator) report(strict bool) {
	for _, name := range sortedKeys(ip.blank) {
		uses := ip.blank[name]
		msg := "variable " + name + " is not set; substituting a blank string" + alsoAt(uses)
		if strict {
			ip.diags.errorf(uses[0], "", "variable %s is not set%s", name, alsoAt(uses))
			continue
		}
		ip.diags.warnf(uses[0], "", "%s", msg)
	}
	for _, name := range sortedKeys(ip.kept) {
		uses := ip.kept[name]
		ip.diags.infof(uses[0], "", "${%s} is not set; left verbatim in the scheduler affinity label for Rancher to expand%s", name, alsoAt(uses))
	}
}

// alsoAt lists every use when there is more than the first (which the diagnostic's position shows).
func alsoAt(uses []Pos) string {
	if len(uses) < 2 {
		return ""
	}
	return " (used at " + posList(uses) + ")"
}

func posList(ps []Pos) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
