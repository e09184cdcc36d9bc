package compose

// mergeService merges over onto base (both normalised service mappings) with the original's rules:
// lists concatenate, mappings merge key by key with over winning, scalars are replaced, and image and
// build exclude each other. base is not modified.
func mergeService(base, over *node) *node {
	out := base.clone()
	if out == nil || out.kind != mapNode {
		return over.clone()
	}
	out.reported = out.reported || over.isReported()
	for _, e := range over.entries {
		switch e.key {
		case "image":
			out.remove("build")
		case "build":
			out.remove("image")
		}
		cur := out.get(e.key)
		out.set(e.key, e.keyPos, mergeValue(cur, e.value))
	}
	return out
}

func mergeValue(cur, over *node) *node {
	switch {
	case cur == nil || over == nil || over.null:
		return over.clone()
	case cur.kind == seqNode && over.kind == seqNode:
		out := cur.clone()
		for _, it := range over.items {
			out.items = append(out.items, it.clone())
		}
		return out
	case cur.kind == mapNode && over.kind == mapNode:
		out := cur.clone()
		for _, e := range over.entries {
			out.set(e.key, e.keyPos, e.value.clone())
		}
		return out
	}
	return over.clone()
}

// mergeTopLevel merges a later file's volumes/networks mapping into the earlier one, key by key.
func mergeTopLevel(cur, over *node) *node {
	if cur == nil {
		return over
	}
	if over == nil || over.kind != mapNode || cur.kind != mapNode {
		return cur
	}
	out := cur.clone()
	for _, e := range over.entries {
		out.set(e.key, e.keyPos, e.value)
	}
	return out
}
