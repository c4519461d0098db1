package config

import (
	"github.com/pelletier/go-toml/v2/unstable"
)

// visit calls fn with the full key path and the line of the key for every
// table header and key-value of a document, in order, following [table]
// headers, dotted keys and inline tables (a key-value first, then what its
// inline table holds). It stops when fn returns false, or at a syntax error.
//
// Inline tables are followed only from one-part keys (login = { ... }):
// codex-login reads no deeper key, and this bounds the work on a document
// nested thousands of levels deep.
func visit(data []byte, fn func(path []string, line int, header bool) bool) {
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e)
			if !fn(table, keyStartLine(&p, e), true) {
				return
			}
		case unstable.KeyValue:
			if !visitKeyValue(&p, e, table, fn) {
				return
			}
		}
	}
}

func visitKeyValue(p *unstable.Parser, kv *unstable.Node, prefix []string, fn func([]string, int, bool) bool) bool {
	path := append(append([]string(nil), prefix...), keyParts(kv)...)
	if !fn(path, keyStartLine(p, kv), false) {
		return false
	}
	if v := kv.Value(); v.Kind == unstable.InlineTable && len(path) < 2 {
		it := v.Children()
		for it.Next() {
			if !visitKeyValue(p, it.Node(), path, fn) {
				return false
			}
		}
	}
	return true
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

// keyStartLine returns the line of the first part of n's key.
func keyStartLine(p *unstable.Parser, n *unstable.Node) int {
	it := n.Key()
	if !it.Next() {
		return 0
	}
	return p.Shape(it.Node().Raw).Start.Line
}
