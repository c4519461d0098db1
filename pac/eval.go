package pac

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/metrics"
	"time"

	"github.com/dop251/goja"
)

// Reasons an evaluation is interrupted.
var (
	errTooLong   = errors.New("took too long")
	errTooMuch   = errors.New("used too much memory")
	errCancelled = errors.New("cancelled")
)

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

	r := goja.New()
	r.SetMaxCallStackSize(maxCallStack)
	r.SetTimeSource(o.Now)
	stop := context.AfterFunc(ectx, func() {
		if ctx.Err() != nil {
			r.Interrupt(errCancelled)
		} else {
			r.Interrupt(errTooLong)
		}
	})
	defer stop()
	done := make(chan struct{})
	defer close(done)
	go watchHeap(r, done)

	answer, err := s.run(ectx, r, u, o)
	if err != nil {
		var ie *goja.InterruptedError
		if errors.As(err, &ie) {
			switch ie.Value() {
			case errCancelled:
				return nil, ctx.Err()
			case errTooLong:
				return nil, &ScriptError{Source: s.source, Msg: fmt.Sprintf("FindProxyForURL took longer than %v", o.Timeout)}
			case errTooMuch:
				return nil, &ScriptError{Source: s.source, Msg: "FindProxyForURL used too much memory"}
			}
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

func (s *Script) run(ctx context.Context, r *goja.Runtime, u *url.URL, o Options) (string, error) {
	if err := install(ctx, r, o); err != nil {
		return "", err
	}
	if _, err := r.RunProgram(s.prog); err != nil {
		return "", err
	}
	name := "FindProxyForURLEx"
	fn, ok := goja.AssertFunction(r.Get(name))
	if !ok {
		name = "FindProxyForURL"
		if fn, ok = goja.AssertFunction(r.Get(name)); !ok {
			return "", &ScriptError{Source: s.source, Msg: "it defines no function FindProxyForURL"}
		}
	}
	v, err := fn(goja.Undefined(), r.ToValue(pacURL(u)), r.ToValue(u.Hostname()))
	if err != nil {
		return "", err
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return "", &ScriptError{Source: s.source, Msg: name + " returned nothing"}
	}
	if v.ExportType() == nil || v.ExportType().Kind().String() != "string" {
		return "", &ScriptError{Source: s.source, Msg: fmt.Sprintf("%s returned %s, not a string", name, v.ExportType())}
	}
	str := v.String()
	return str, nil
}

// scriptError turns what goja reports into a ScriptError with the line.
func (s *Script) scriptError(err error) error {
	var se *ScriptError
	if errors.As(err, &se) {
		return se
	}
	e := &ScriptError{Source: s.source, Msg: err.Error()}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		e.Msg = "threw " + ex.Value().String()
		for _, f := range ex.Stack() {
			if p := f.Position(); p.Line > 0 {
				e.Line = p.Line
				break
			}
		}
	}
	return e
}

// watchHeap interrupts r when the heap grows by more than maxHeapGrowth
// while the script runs: goja has no memory limit of its own, and a script
// can build a huge string with + alone.
func watchHeap(r *goja.Runtime, done <-chan struct{}) {
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
				r.Interrupt(errTooMuch)
				return
			}
		}
	}
}
