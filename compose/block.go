package compose

// sourceText is a file's bytes with the offsets of its lines, computed on first use.
type sourceText struct {
	data   []byte
	starts []int // byte offset of each line
}

func (s *sourceText) lineStarts() []int {
	if s.starts == nil {
		s.starts = []int{0}
		for i, c := range s.data {
			if c == '\n' {
				s.starts = append(s.starts, i+1)
			}
		}
	}
	return s.starts
}

// blockSource locates text inside a literal (|) or folded (>) block scalar, whose content starts on
// the line after its header and is indented. Folding and indentation change only whitespace, so the
// k-th non-blank character of the value is the k-th non-blank character of the block's source.
type blockSource struct {
	src    *sourceText
	header int // 1-based line of the | or > indicator
}

// pos returns the line and column (1-based) of byte offset of text, the block's value.
func (b *blockSource) pos(text string, offset int) (Pos, bool) {
	k := 0
	for i := 0; i < offset && i < len(text); i++ {
		if !isBlank(text[i]) {
			k++
		}
	}
	starts := b.src.lineStarts()
	if b.header >= len(starts) {
		return Pos{}, false
	}
	line, lineStart := b.header+1, starts[b.header]
	for i := lineStart; i < len(b.src.data); i++ {
		c := b.src.data[i]
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case isBlank(c):
		case k == 0:
			return Pos{Line: line, Col: i - lineStart + 1}, true
		default:
			k--
		}
	}
	return Pos{}, false
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
