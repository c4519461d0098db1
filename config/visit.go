package config

import (
	"bytes"
	"slices"

	"github.com/pelletier/go-toml/v2/unstable"
)

// visit calls fn with the full key path and the line of the key for every
// table header and key-value of a document, in order, following [table]
// headers, dotted keys and inline tables (a key-value first, then what its
// inline table holds). It stops when fn returns false, or at a syntax error.
//
// Inline tables are followed only from one-part keys (login = { ... }):
// codex-login reads no deeper key, and this bounds the work on a document
// nested thousands of levels deep. Lines are counted as the parser moves
// forward, so a visit takes time linear in the document's size.
func visit(data []byte, fn func(path []string, line int, header bool) bool) {
	var p unstable.Parser
	p.Reset(data)
	lc := lineCounter{data: data, line: 1}
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e)
			if !fn(table, lc.lineOf(e), true) {
				return
			}
		case unstable.KeyValue:
			if !visitKeyValue(&lc, e, table, fn) {
				return
			}
		}
	}
}

func visitKeyValue(lc *lineCounter, kv *unstable.Node, prefix []string, fn func([]string, int, bool) bool) bool {
	path := append(slices.Clip(prefix), keyParts(kv)...)
	if !fn(path, lc.lineOf(kv), false) {
		return false
	}
	if v := kv.Value(); v.Kind == unstable.InlineTable && len(path) < 2 {
		it := v.Children()
		for it.Next() {
			if !visitKeyValue(lc, it.Node(), path, fn) {
				return false
			}
		}
	}
	return true
}

// lineCounter gives the line of a key by counting newlines from the last
// key it saw. (The parser's own Shape counts from the start of the document
// every time, which made a document with many keys take quadratic time.)
type lineCounter struct {
	data []byte
	off  int // offset of the last key seen
	line int // its 1-based line
}

// lineOf returns the line of the first part of n's key, or 0.
func (lc *lineCounter) lineOf(n *unstable.Node) int {
	off, ok := keyOffset(n)
	if !ok {
		return 0
	}
	if off < lc.off {
		lc.off, lc.line = 0, 1
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte{'\n'})
	lc.off = off
	return lc.line
}

// keyParts returns the parts of the (dotted) key of a table header or
// key-value.
func keyParts(n *unstable.Node) []string {
	var parts []string
	it := n.Key()
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// keyOffset returns the offset in the document of the first part of n's
// key.
func keyOffset(n *unstable.Node) (int, bool) {
	it := n.Key()
	if !it.Next() {
		return 0, false
	}
	return int(it.Node().Raw.Offset), true
}

// focus returns a copy of a TOML document in which every top-level
// expression (table header or key-value) whose full key does not start with
// one of names is blanked: its bytes, and the comments and blank lines after
// it, become spaces, newlines kept. The copy has the same length and lines
// as the document, so errors found in it point at the document's lines, and
// it holds only what codex-login reads, so decoding it does not take time
// quadratic in the number of Codex's own tables (go-toml checks for
// duplicate keys by scanning every key seen so far).
//
// TOML puts every expression on a line of its own, so an expression and
// what follows it up to the next expression are whole lines. On a syntax
// error, everything from the last expression parsed on is kept, so that
// decoding the copy reports the same error.
func focus(data []byte, names ...string) []byte {
	out := bytes.Clone(data)
	var p unstable.Parser
	p.Reset(data)
	var table []string
	start, keep := 0, true // the segment being scanned, and whether to keep it
	for p.NextExpression() {
		e := p.Expression()
		off, ok := keyOffset(e)
		if !ok {
			continue
		}
		next := bytes.LastIndexByte(data[:off], '\n') + 1
		if !keep {
			blank(out[start:next])
		}
		start = next
		first := ""
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e)
			first = table[0]
		case unstable.KeyValue:
			if len(table) > 0 {
				first = table[0]
			} else {
				first = keyParts(e)[0]
			}
		}
		keep = slices.Contains(names, first)
	}
	if !keep && p.Error() == nil {
		blank(out[start:])
	}
	return out
}

// blank replaces every byte of b but newlines with a space.
func blank(b []byte) {
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
}
