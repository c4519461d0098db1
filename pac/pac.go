// Package pac evaluates proxy auto-config (PAC) files: it compiles the
// script once, runs FindProxyForURL in a fresh, bounded JavaScript runtime
// per question, and parses the answer into candidates. It also reads what
// the operating system says about proxies and where WPAD would look.
//
// The JavaScript interpreter is otto, an ES5 interpreter (PAC files are
// ES5). The standard PAC functions are written in Go with the semantics
// browsers give them; the script sees only those and the ES5 built-ins
// (otto's console is removed), never the network or the disk. The ES2015
// string methods PAC files use (repeat, padStart, padEnd) are added, bounded.
//
// What bounds a run: a time limit (the interpreter is interrupted between
// statements), a call depth limit, a limit on the heap's growth (checked
// every few milliseconds, acted on at the next statement) and a size limit
// on the strings the built-ins repeat, padStart, padEnd and join build and
// on the arrays the native Array methods walk. What otto cannot bound: a
// single native built-in call runs to its end before an interrupt is seen
// (those above are bounded beforehand), and the Go stack the parser uses
// for deeply nested source. Regular expressions are Go's RE2, translated
// from JavaScript syntax: lookaheads and backreferences are not supported;
// a literal using them is a syntax error when the script is compiled, and
// new RegExp with one throws an error the ScriptError reports with its line.
package pac

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/robertkrimen/otto"
	"github.com/robertkrimen/otto/parser"
)

// Limits of one evaluation.
const (
	DefaultTimeout = 2 * time.Second
	maxResult      = 64 << 10 // bytes of FindProxyForURL's answer
	maxString      = 1 << 20  // characters a built-in may build (repeat, padStart, join)
	maxHeapGrowth  = 64 << 20 // bytes the heap may grow while a script runs
	maxCallStack   = 1000
	maxArray       = 1 << 20 // elements a native Array method (or apply) may walk
	maxNesting     = 500     // depth of ( [ { the parser is given
)

// tooDeep returns the line where src's brackets nest deeper than
// maxNesting, or 0. otto's parser recurses for each level, and a
// goroutine's stack overflowing is fatal, not a panic: a PAC file of
// "((((...", within the size limit, would end the process. Strings and
// comments are skipped; a bracket in a regular expression literal is
// counted, which only errs towards refusing an absurd file.
func tooDeep(src string) int {
	depth, line := 0, 1
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			line++
		case '(', '[', '{':
			if depth++; depth > maxNesting {
				return line
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		case '"', '\'':
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			if i < len(src) && src[i] == '\n' {
				line++
			}
		case '/':
			switch {
			case strings.HasPrefix(src[i:], "//"):
				for i < len(src) && src[i] != '\n' {
					i++
				}
				line++
			case strings.HasPrefix(src[i:], "/*"):
				end := strings.Index(src[i+2:], "*/")
				if end < 0 {
					return 0 // the parser reports it
				}
				line += strings.Count(src[i:i+2+end], "\n")
				i += end + 3
			}
		}
	}
	return 0
}

// scriptFile is the file name the interpreter knows the script by: the
// stack traces it gives name it, and line numbers are read from the frames
// that do (frames of native code name no file).
const scriptFile = "pac-script"

// Script is a compiled PAC file. It is safe for concurrent use: every
// FindProxy call runs in its own runtime.
type Script struct {
	prog   *otto.Script
	source string
}

// ScriptError is a PAC file that does not compile, throws, takes too long,
// uses too much memory or answers something that is not a proxy list.
type ScriptError struct {
	Source string
	Line   int // 0 when unknown
	Msg    string
}

func (e *ScriptError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("PAC file %s, line %d: %s", e.Source, e.Line, e.Msg)
	}
	return fmt.Sprintf("PAC file %s: %s", e.Source, e.Msg)
}

// Compile parses src, the PAC file's JavaScript; source names where it came
// from, for errors.
func Compile(src, source string) (*Script, error) {
	if line := tooDeep(src); line > 0 {
		return nil, &ScriptError{Source: source, Line: line, Msg: fmt.Sprintf("syntax error: brackets nested more than %d deep", maxNesting)}
	}
	prog, err := otto.New().Compile(scriptFile, src)
	if err != nil {
		var list *parser.ErrorList
		var one *parser.Error
		switch {
		case errors.As(err, &list) && len(*list) > 0:
			first := (*list)[0]
			return nil, &ScriptError{Source: source, Line: first.Position.Line, Msg: "syntax error: " + first.Message}
		case errors.As(err, &one):
			return nil, &ScriptError{Source: source, Line: one.Position.Line, Msg: "syntax error: " + one.Message}
		}
		return nil, &ScriptError{Source: source, Msg: "syntax error: " + err.Error()}
	}
	return &Script{prog: prog, source: source}, nil
}

// Options bound an evaluation and give it the outside world; tests replace
// these.
type Options struct {
	Timeout time.Duration                                            // per FindProxyForURL call; default 2s
	Resolve func(ctx context.Context, host string) ([]net.IP, error) // dnsResolve, isResolvable, isInNet; default net.DefaultResolver
	MyIPs   func() []net.IP                                          // myIpAddress(Ex); default the addresses of this machine's interfaces
	Now     func() time.Time                                         // weekdayRange, dateRange, timeRange; default time.Now
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Resolve == nil {
		o.Resolve = func(ctx context.Context, host string) ([]net.IP, error) {
			addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
			ips := make([]net.IP, len(addrs))
			for i, a := range addrs {
				ips[i] = a.IP
			}
			return ips, err
		}
	}
	if o.MyIPs == nil {
		o.MyIPs = interfaceIPs
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// interfaceIPs lists this machine's addresses, non-loopback first.
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips, loop []net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsUnspecified() {
			continue
		}
		if n.IP.IsLoopback() {
			loop = append(loop, n.IP)
		} else {
			ips = append(ips, n.IP)
		}
	}
	return append(ips, loop...)
}

// pacURL is the URL as browsers hand it to FindProxyForURL: without
// credentials or fragment, and for https and wss reduced to scheme, host
// and port, so a script cannot see paths it does not need.
func pacURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	switch strings.ToLower(c.Scheme) {
	case "https", "wss":
		c.Path, c.RawPath, c.RawQuery, c.ForceQuery = "/", "", "", false
	}
	return c.String()
}
