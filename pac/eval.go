package pac

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/robertkrimen/otto"
)

// Reasons an evaluation is interrupted.
var (
	errTooLong   = errors.New("took too long")
	errTooMuch   = errors.New("used too much memory")
	errCancelled = errors.New("cancelled")
)

// halted is what the interpreter panics with once interrupted.
type halted struct{}

// runtime is one fresh interpreter and the reason it was interrupted, if
// it was.
type runtime struct {
	vm  *otto.Otto
	why atomic.Pointer[error]
}

// newRuntime makes a fresh interpreter bounded in call depth, which
// interrupt can stop.
func newRuntime() *runtime {
	r := &runtime{vm: otto.New()}
	r.vm.SetStackDepthLimit(maxCallStack)
	r.vm.Interrupt = make(chan func(), 1)
	return r
}

// interrupt stops the script at its next statement, for reason. The
// interrupt puts itself back each time it runs, so a script that catches
// it (a try around a loop) is stopped again at the next statement it runs.
func (r *runtime) interrupt(reason error) {
	if !r.why.CompareAndSwap(nil, &reason) {
		return
	}
	var halt func()
	halt = func() {
		select {
		case r.vm.Interrupt <- halt:
		default:
		}
		panic(halted{})
	}
	select {
	case r.vm.Interrupt <- halt:
	default:
	}
}

// reason is why r was interrupted, or nil.
func (r *runtime) reason() error {
	if p := r.why.Load(); p != nil {
		return *p
	}
	return nil
}

// FindProxy runs FindProxyForURL(url, host), or FindProxyForURLEx when the
// script defines it, in a fresh runtime bounded by o.Timeout and by memory,
// and parses the answer.
func (s *Script) FindProxy(ctx context.Context, u *url.URL, o Options) ([]Candidate, error) {
	o = o.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ectx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	r := newRuntime()
	stop := context.AfterFunc(ectx, func() {
		if ctx.Err() != nil {
			r.interrupt(errCancelled)
		} else {
			r.interrupt(errTooLong)
		}
	})
	defer stop()
	done := make(chan struct{})
	defer close(done)
	go watchHeap(r, done)

	answer, err := s.run(ectx, r, u, o)
	if err != nil {
		switch r.reason() {
		case errCancelled:
			return nil, ctx.Err()
		case errTooLong:
			return nil, &ScriptError{Source: s.source, Msg: fmt.Sprintf("FindProxyForURL took longer than %v", o.Timeout)}
		case errTooMuch:
			return nil, &ScriptError{Source: s.source, Msg: "FindProxyForURL used too much memory"}
		}
		return nil, s.scriptError(err)
	}
	if len(answer) > maxResult {
		return nil, &ScriptError{Source: s.source, Msg: fmt.Sprintf("FindProxyForURL answered %d bytes, more than %d", len(answer), maxResult)}
	}
	cands, err := ParseResult(answer)
	if err != nil {
		return nil, &ScriptError{Source: s.source, Msg: "FindProxyForURL answered: " + err.Error()}
	}
	return cands, nil
}

// errHalted stands for a run stopped by an interrupt; FindProxy reports
// the reason instead.
var errHalted = errors.New("interrupted")

// guard turns a panic out of the interpreter into an error: an interrupt
// into errHalted, anything else (a fault of the interpreter) into a
// ScriptError rather than a crash.
func (s *Script) guard(err *error) {
	p := recover()
	if p == nil {
		return
	}
	if _, ok := p.(halted); ok {
		*err = errHalted
		return
	}
	*err = &ScriptError{Source: s.source, Msg: fmt.Sprintf("the JavaScript interpreter failed: %v", p)}
}

// load installs the PAC functions in r and runs the script's top level.
func (s *Script) load(ctx context.Context, r *runtime, o Options) (err error) {
	defer s.guard(&err)
	if err := install(ctx, r.vm, o); err != nil {
		return err
	}
	_, err = r.vm.Run(s.prog)
	return err
}

func (s *Script) run(ctx context.Context, r *runtime, u *url.URL, o Options) (answer string, err error) {
	if err := s.load(ctx, r, o); err != nil {
		return "", err
	}
	defer s.guard(&err)
	name := "FindProxyForURLEx"
	fn, _ := r.vm.Get(name)
	if !fn.IsFunction() {
		name = "FindProxyForURL"
		if fn, _ = r.vm.Get(name); !fn.IsFunction() {
			return "", &ScriptError{Source: s.source, Msg: "it defines no function FindProxyForURL"}
		}
	}
	v, err := fn.Call(otto.UndefinedValue(), pacURL(u), u.Hostname())
	if err != nil {
		return "", err
	}
	if v.IsUndefined() || v.IsNull() {
		return "", &ScriptError{Source: s.source, Msg: name + " returned nothing"}
	}
	if !v.IsString() && v.Class() != "String" {
		return "", &ScriptError{Source: s.source, Msg: fmt.Sprintf("%s returned %s, not a string", name, kindOf(v))}
	}
	return v.String(), nil
}

// kindOf names the type of a JavaScript value, for errors.
func kindOf(v otto.Value) string {
	switch {
	case v.IsNumber():
		return "a number"
	case v.IsBoolean():
		return "a boolean"
	case v.IsFunction():
		return "a function"
	case v.IsObject():
		return "an object (" + v.Class() + ")"
	}
	return "a value"
}

// frameLine finds the script's line in a frame of otto's stack trace,
// "    at f (pac-script:3:9)" or "    at pac-script:3:9"; 0 for a frame of
// native code.
func frameLine(frame string) int {
	i := strings.LastIndex(frame, scriptFile+":")
	if i < 0 {
		return 0
	}
	rest := frame[i+len(scriptFile)+1:]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return 0
	}
	n, err := strconv.Atoi(rest[:j])
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// scriptError turns what otto reports into a ScriptError with the line.
func (s *Script) scriptError(err error) error {
	var se *ScriptError
	if errors.As(err, &se) {
		return se
	}
	e := &ScriptError{Source: s.source, Msg: err.Error()}
	var ex *otto.Error
	if errors.As(err, &ex) {
		e.Msg = "threw " + ex.Error()
		for _, l := range strings.Split(ex.String(), "\n") {
			if n := frameLine(l); n > 0 {
				e.Line = n
				break
			}
		}
	} else {
		// A thrown value that is not an Error (throw "x") has no trace.
		e.Msg = "threw " + err.Error()
	}
	return e
}

// watchHeap interrupts r when the heap grows by more than maxHeapGrowth
// while the script runs: otto has no memory limit of its own, and a script
// can build a huge string with + alone.
func watchHeap(r *runtime, done <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	base := sample[0].Value.Uint64()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			metrics.Read(sample)
			if now := sample[0].Value.Uint64(); now > base && now-base > maxHeapGrowth {
				r.interrupt(errTooMuch)
				return
			}
		}
	}
}
