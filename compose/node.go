package compose

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// nodeKind is the shape of a raw value.
type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

// node is one raw YAML value with its position. Scalars keep their text; whether they are strings is
// decided with the YAML 1.1 rules of the original's yaml.v2 (see resolveV2), not by yaml.v3's tags.
type node struct {
	kind  nodeKind
	pos   Pos
	value string // scalar text, after interpolation
	// str is true when the scalar is a string for yaml.v2: quoted, block, !!str-tagged, or plain text
	// that resolves to no other type. Only such scalars are interpolated, as in the original.
	str    bool
	null   bool // plain ~, null or empty
	quoted bool // single- or double-quoted: the text starts one column after pos
	// blanked is set when interpolation replaced an unset variable by "" in this scalar (already
	// warned about); value checks then downgrade to warnings, so a template with unanswered questions
	// still loads as it did with the original.
	blanked bool
	// secret is set when a variable whose name looks secret (vars.LooksSecret) was substituted into
	// this scalar: messages then never quote its text.
	secret bool
	// reported is set once an error about this value was reported (a wrong type, a bad interpolation,
	// a broken extends): checks that would only repeat it are skipped.
	reported bool
	// block is set for literal (|) and folded (>) scalars, whose text starts on the line after pos.
	block   *blockSource
	entries []*entry
	items   []*node
}

// entry is one key of a mapping, in file order.
type entry struct {
	key    string
	keyPos Pos
	value  *node
}

// get returns the value of key in a mapping node (nil if absent or not a mapping).
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for _, e := range n.entries {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

// entryFor returns the entry of key in a mapping node.
func (n *node) entryFor(key string) *entry {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for _, e := range n.entries {
		if e.key == key {
			return e
		}
	}
	return nil
}

// set replaces or appends key in a mapping node.
func (n *node) set(key string, keyPos Pos, v *node) {
	for _, e := range n.entries {
		if e.key == key {
			e.value = v
			return
		}
	}
	n.entries = append(n.entries, &entry{key: key, keyPos: keyPos, value: v})
}

// remove deletes key from a mapping node.
func (n *node) remove(key string) {
	out := n.entries[:0]
	for _, e := range n.entries {
		if e.key != key {
			out = append(out, e)
		}
	}
	n.entries = out
}

// clone copies a tree deeply.
func (n *node) clone() *node {
	if n == nil {
		return nil
	}
	c := *n
	c.entries = make([]*entry, len(n.entries))
	for i, e := range n.entries {
		c.entries[i] = &entry{key: e.key, keyPos: e.keyPos, value: e.value.clone()}
	}
	c.items = make([]*node, len(n.items))
	for i, it := range n.items {
		c.items[i] = it.clone()
	}
	return &c
}

// isReported is reported for a possibly absent node.
func (n *node) isReported() bool { return n != nil && n.reported }

// isBlanked is blanked for a possibly absent node.
func (n *node) isBlanked() bool { return n != nil && n.blanked }

// newMap builds an empty mapping at pos.
func newMap(pos Pos) *node { return &node{kind: mapNode, pos: pos} }

// newString builds a string scalar.
func newString(pos Pos, s string) *node {
	return &node{kind: scalarNode, pos: pos, value: s, str: true}
}

// kindName names the node's shape for messages.
func (n *node) kindName() string {
	switch {
	case n == nil:
		return "nothing"
	case n.kind == mapNode:
		return "a mapping"
	case n.kind == seqNode:
		return "a list"
	case n.null:
		return "null"
	}
	if n.secret {
		return "a value containing a secret variable"
	}
	switch v := n.v2Value().(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	}
	return fmt.Sprintf("the number %s", n.value)
}

// v2Value returns the scalar as yaml.v2 would have decoded it into interface{}.
func (n *node) v2Value() any {
	if n.str {
		return n.value
	}
	if n.null {
		return nil
	}
	return resolveV2(n.value)
}

// text returns the scalar's YAML text (what a string-typed field receives).
func (n *node) text() string { return n.value }

// toAny converts a tree to plain Go values with yaml.v2 scalar types; map keys become strings.
func (n *node) toAny() any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mapNode:
		m := make(map[string]any, len(n.entries))
		for _, e := range n.entries {
			m[e.key] = e.value.toAny()
		}
		return m
	case seqNode:
		l := make([]any, len(n.items))
		for i, it := range n.items {
			l[i] = it.toAny()
		}
		return l
	}
	return n.v2Value()
}

// maxNodes bounds alias expansion ("billion laughs").
const maxNodes = 100_000

// converter turns yaml.v3 nodes into raw trees.
type converter struct {
	file   string
	src    *sourceText // the file, for positions inside block scalars
	diags  *diagnostics
	count  int
	failed bool
	// active holds the anchored nodes being converted: an alias to one of them is recursive.
	active map[*yaml.Node]bool
}

func (c *converter) pos(y *yaml.Node) Pos { return Pos{File: c.file, Line: y.Line, Col: y.Column} }

func (c *converter) convert(y *yaml.Node, path string) *node {
	c.count++
	if c.count > maxNodes {
		if !c.failed {
			c.diags.errorf(c.pos(y), path, "document expands to more than %d values (alias bomb?)", maxNodes)
		}
		c.failed = true
		return &node{kind: scalarNode, pos: c.pos(y), null: true}
	}
	if y.Anchor != "" {
		if c.active == nil {
			c.active = map[*yaml.Node]bool{}
		}
		c.active[y] = true
		defer delete(c.active, y)
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nil
		}
		return c.convert(y.Content[0], path)
	case yaml.AliasNode:
		if c.recursiveAlias(y, path) {
			return &node{kind: scalarNode, pos: c.pos(y), null: true}
		}
		return c.convert(y.Alias, path)
	case yaml.MappingNode:
		return c.convertMap(y, path)
	case yaml.SequenceNode:
		n := &node{kind: seqNode, pos: c.pos(y)}
		for i, it := range y.Content {
			n.items = append(n.items, c.convert(it, fmt.Sprintf("%s[%d]", path, i)))
		}
		return n
	}
	return c.convertScalar(y)
}

// recursiveAlias reports an alias to a node that contains it (`b: &b {x: *b}`), which would expand
// forever; the alias is then not expanded.
func (c *converter) recursiveAlias(y *yaml.Node, path string) bool {
	if y.Kind != yaml.AliasNode || !c.active[y.Alias] {
		return false
	}
	c.diags.errorf(c.pos(y), path, "recursive alias *%s: it refers to a value that contains it", y.Value)
	return true
}

func (c *converter) convertScalar(y *yaml.Node) *node {
	n := &node{kind: scalarNode, pos: c.pos(y), value: y.Value}
	quoted := y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	explicit := y.Style&yaml.TaggedStyle != 0
	if y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		n.block = &blockSource{src: c.src, header: y.Line}
	}
	switch {
	case quoted || (explicit && y.Tag == "!!str"):
		n.str = true
		n.quoted = y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	case explicit && y.Tag == "!!null":
		n.null = true
	default:
		v := resolveV2(y.Value)
		n.null = v == nil
		_, n.str = v.(string)
	}
	return n
}

func (c *converter) convertMap(y *yaml.Node, path string) *node {
	n := &node{kind: mapNode, pos: c.pos(y)}
	seen := map[string]Pos{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			merges = append(merges, v)
			continue
		}
		key := c.keyText(k, path)
		kp := c.pos(k)
		child := c.convert(v, joinPath(path, key))
		if first, dup := seen[key]; dup {
			c.diags.warnf(kp, joinPath(path, key), "duplicate key %q (first at line %d); the later value is used", key, first.Line)
			n.set(key, kp, child)
			seen[key] = kp
			continue
		}
		seen[key] = kp
		n.entries = append(n.entries, &entry{key: key, keyPos: kp, value: child})
	}
	for _, m := range merges {
		c.applyMerge(n, m, path, seen)
	}
	return n
}

// applyMerge adds the keys of a `<<` merge source that the mapping does not set itself.
func (c *converter) applyMerge(n *node, m *yaml.Node, path string, seen map[string]Pos) {
	if c.recursiveAlias(m, path) {
		return
	}
	if m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	var sources []*yaml.Node
	switch m.Kind {
	case yaml.MappingNode:
		sources = []*yaml.Node{m}
	case yaml.SequenceNode:
		sources = m.Content
	default:
		c.diags.errorf(c.pos(m), path, "merge key << needs a mapping or a list of mappings")
		return
	}
	for _, s := range sources {
		if c.recursiveAlias(s, path) {
			continue
		}
		src := c.convert(s, path)
		if src == nil || src.kind != mapNode {
			c.diags.errorf(c.pos(s), path, "merge key << needs a mapping or a list of mappings")
			continue
		}
		for _, e := range src.entries {
			if _, ok := seen[e.key]; ok {
				continue
			}
			seen[e.key] = e.keyPos
			n.entries = append(n.entries, e)
		}
	}
}

// keyText renders a mapping key as yaml.v2 + fmt %v would (keys are never interpolated).
func (c *converter) keyText(k *yaml.Node, path string) string {
	if k.Kind != yaml.ScalarNode {
		c.diags.errorf(c.pos(k), path, "a mapping key must be a plain value, not a list or mapping")
		return fmt.Sprintf("<key at line %d>", k.Line)
	}
	quoted := k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	if quoted {
		return k.Value
	}
	return fmt.Sprint(resolveV2(k.Value))
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	if strings.ContainsAny(key, ". []") || key == "" {
		return path + "[" + strconv.Quote(key) + "]"
	}
	return path + "." + key
}

func indexPath(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
