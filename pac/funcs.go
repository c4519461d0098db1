package pac

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/robertkrimen/otto"
)

// install gives vm the standard PAC functions, removes otto's console and
// bounds the built-ins that build strings or walk arrays natively.
func install(ctx context.Context, vm *otto.Otto, o Options) error {
	str := func(c otto.FunctionCall, i int) string {
		v := c.Argument(i)
		if v.IsUndefined() || v.IsNull() {
			return ""
		}
		return v.String()
	}
	resolve := func(host string) []net.IP {
		if ip := net.ParseIP(host); ip != nil {
			return []net.IP{ip}
		}
		if host == "" || ctx.Err() != nil {
			return nil
		}
		ips, err := o.Resolve(ctx, host)
		if err != nil {
			return nil
		}
		return ips
	}
	val := func(x any) otto.Value { v, _ := vm.ToValue(x); return v }
	funcs := map[string]func(otto.FunctionCall) otto.Value{
		"isPlainHostName": func(c otto.FunctionCall) otto.Value { return b(isPlainHostName(str(c, 0))) },
		"dnsDomainIs":     func(c otto.FunctionCall) otto.Value { return b(strings.HasSuffix(str(c, 0), str(c, 1))) },
		"localHostOrDomainIs": func(c otto.FunctionCall) otto.Value {
			return b(localHostOrDomainIs(str(c, 0), str(c, 1)))
		},
		"dnsDomainLevels": func(c otto.FunctionCall) otto.Value { return val(strings.Count(str(c, 0), ".")) },
		"shExpMatch":      func(c otto.FunctionCall) otto.Value { return b(shExpMatch(str(c, 0), str(c, 1))) },
		"isResolvable":    func(c otto.FunctionCall) otto.Value { return b(firstIPv4(resolve(str(c, 0))) != nil) },
		"isResolvableEx":  func(c otto.FunctionCall) otto.Value { return b(len(resolve(str(c, 0))) > 0) },
		"dnsResolve": func(c otto.FunctionCall) otto.Value {
			if ip := firstIPv4(resolve(str(c, 0))); ip != nil {
				return val(ip.String())
			}
			return otto.NullValue()
		},
		"dnsResolveEx": func(c otto.FunctionCall) otto.Value { return val(joinIPs(resolve(str(c, 0)))) },
		"isInNet": func(c otto.FunctionCall) otto.Value {
			return b(isInNet(str(c, 0), str(c, 1), str(c, 2), resolve))
		},
		"isInNetEx": func(c otto.FunctionCall) otto.Value { return b(isInNetEx(str(c, 0), str(c, 1), resolve)) },
		"myIpAddress": func(c otto.FunctionCall) otto.Value {
			if ip := firstIPv4(nonLoopback(o.MyIPs())); ip != nil {
				return val(ip.String())
			}
			return val("127.0.0.1")
		},
		"myIpAddressEx": func(c otto.FunctionCall) otto.Value { return val(joinIPs(o.MyIPs())) },
		"sortIpAddressList": func(c otto.FunctionCall) otto.Value {
			if s, ok := sortIPList(str(c, 0)); ok {
				return val(s)
			}
			return otto.FalseValue()
		},
		"getClientVersion": func(c otto.FunctionCall) otto.Value { return val("1.0") },
		"alert":            func(c otto.FunctionCall) otto.Value { return otto.UndefinedValue() },
		"weekdayRange":     func(c otto.FunctionCall) otto.Value { return b(weekdayRange(o.Now(), args(c))) },
		"dateRange":        func(c otto.FunctionCall) otto.Value { return b(dateRange(o.Now(), args(c))) },
		"timeRange":        func(c otto.FunctionCall) otto.Value { return b(timeRange(o.Now(), args(c))) },
	}
	for name, f := range funcs {
		if err := vm.Set(name, f); err != nil {
			return err
		}
	}
	return boundBuiltins(vm)
}

func b(v bool) otto.Value {
	if v {
		return otto.TrueValue()
	}
	return otto.FalseValue()
}

func args(c otto.FunctionCall) []string {
	out := make([]string, len(c.ArgumentList))
	for i, v := range c.ArgumentList {
		out[i] = v.String()
	}
	return out
}

// isPlainHostName: no dot, and not an IPv6 literal either.
func isPlainHostName(host string) bool {
	return !strings.ContainsAny(host, ".:")
}

// localHostOrDomainIs is true when host is hostdom, or is hostdom's first
// label ("www" for "www.corp.test").
func localHostOrDomainIs(host, hostdom string) bool {
	return host == hostdom || strings.HasPrefix(hostdom, host+".")
}

func firstIPv4(ips []net.IP) net.IP {
	for _, ip := range ips {
		if v4 := ip.To4(); v4 != nil {
			return v4
		}
	}
	return nil
}

func nonLoopback(ips []net.IP) []net.IP {
	var out []net.IP
	for _, ip := range ips {
		if !ip.IsLoopback() {
			out = append(out, ip)
		}
	}
	return out
}

func joinIPs(ips []net.IP) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ";")
}

// parseDotted accepts only a dotted-quad IPv4 address, as isInNet's
// pattern and mask must be.
func parseDotted(s string) (net.IP, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return nil, false
	}
	return net.IP(a.AsSlice()), true
}

// isInNet: host (an IPv4 address, or a name resolved to one) masked by
// mask equals pattern masked by mask.
func isInNet(host, pattern, mask string, resolve func(string) []net.IP) bool {
	p, ok1 := parseDotted(pattern)
	m, ok2 := parseDotted(mask)
	if !ok1 || !ok2 {
		return false
	}
	ip := firstIPv4(resolve(host))
	if ip == nil {
		return false
	}
	mk := net.IPMask(m)
	return ip.Mask(mk).Equal(p.Mask(mk))
}

// isInNetEx: any address of host (IPv4 or IPv6) is inside the CIDR prefix.
func isInNetEx(host, prefix string, resolve func(string) []net.IP) bool {
	pfx, err := netip.ParsePrefix(strings.TrimSpace(prefix))
	if err != nil {
		return false
	}
	for _, ip := range resolve(host) {
		a, ok := netip.AddrFromSlice(ip)
		if ok && pfx.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// sortIPList sorts a semicolon list of addresses, IPv6 before IPv4, each
// in ascending order; false when an entry is not an address.
func sortIPList(list string) (string, bool) {
	parts := strings.Split(list, ";")
	addrs := make([]netip.Addr, 0, len(parts))
	for _, p := range parts {
		a, err := netip.ParseAddr(strings.TrimSpace(p))
		if err != nil {
			return "", false
		}
		addrs = append(addrs, a.Unmap())
	}
	slices.SortStableFunc(addrs, func(x, y netip.Addr) int {
		if x.Is6() != y.Is6() {
			if x.Is6() {
				return -1
			}
			return 1
		}
		return x.Compare(y)
	})
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, ";"), true
}

// prelude runs in every runtime before the script: it removes otto's
// console (it writes to standard output), adds the ES2015 string methods
// PAC files use as non-enumerable, bounded built-ins, and puts a bound in
// front of the native Array methods that walk an array's length and of
// Function.prototype.apply, which builds an argument list that long. The
// bounds are Go functions passed in; exceptions pass through the wrappers
// unchanged. The script evaluates to the function that does this.
const prelude = `delete console;
(function (repeat, padStart, padEnd, joinLimit, stringLimit, arrayLimit) {
	var F = Function.prototype, S = String.prototype, A = Array.prototype;
	var apply = F.apply, call = F.call;
	function hide(o, n, f) {
		Object.defineProperty(o, n, {value: f, writable: true, enumerable: false, configurable: true});
	}
	hide(S, "repeat", repeat);
	hide(S, "padStart", padStart);
	hide(S, "padEnd", padEnd);
	hide(F, "apply", function (that, list) {
		if (list !== undefined && list !== null) { arrayLimit(list); }
		return call.call(apply, this, that, list);
	});
	var join = A.join;
	hide(A, "join", function (sep) {
		joinLimit(this, sep);
		return stringLimit(call.call(apply, join, this, arguments));
	});
	var walk = ["concat", "indexOf", "lastIndexOf", "reverse", "shift", "unshift", "slice", "sort", "splice",
		"forEach", "map", "filter", "every", "some", "reduce", "reduceRight", "toLocaleString"];
	for (var i = 0; i < walk.length; i++) {
		(function (f, n) {
			hide(A, n, function () { arrayLimit(this); return call.call(apply, f, this, arguments); });
		})(A[walk[i]], walk[i]);
	}
})`

var preludeScript = sync.OnceValues(func() (*otto.Script, error) {
	return otto.New().Compile("pac-prelude", prelude)
})

// boundBuiltins runs the prelude in vm with the Go bounds.
func boundBuiltins(vm *otto.Otto) error {
	p, err := preludeScript()
	if err != nil {
		return err
	}
	fn, err := vm.Run(p)
	if err != nil {
		return err
	}
	tooLong := func() { panic(vm.MakeTypeError(fmt.Sprintf("string longer than %d characters", maxString))) }
	thisString := func(c otto.FunctionCall, name string) string {
		if c.This.IsUndefined() || c.This.IsNull() {
			panic(vm.MakeTypeError("String.prototype." + name + " called on null or undefined"))
		}
		return c.This.String()
	}
	repeat := func(c otto.FunctionCall) otto.Value {
		s := thisString(c, "repeat")
		n := toInteger(c.Argument(0))
		if n < 0 || math.IsInf(n, 0) {
			panic(vm.MakeRangeError("Invalid count value"))
		}
		if unit := float64(len(s)); unit > 0 && n > float64(maxString)/unit {
			tooLong()
		}
		v, _ := vm.ToValue(strings.Repeat(s, int(n)))
		return v
	}
	pad := func(name string, atStart bool) func(otto.FunctionCall) otto.Value {
		return func(c otto.FunctionCall) otto.Value {
			s := utf16.Encode([]rune(thisString(c, name)))
			n := toInteger(c.Argument(0))
			fill := []uint16{' '}
			if f := c.Argument(1); !f.IsUndefined() {
				fill = utf16.Encode([]rune(f.String()))
			}
			if n <= float64(len(s)) || len(fill) == 0 {
				return c.This
			}
			if n > maxString {
				tooLong()
			}
			add := make([]uint16, 0, int(n)-len(s))
			for len(add) < int(n)-len(s) {
				add = append(add, fill[:min(len(fill), int(n)-len(s)-len(add))]...)
			}
			var out []uint16
			if atStart {
				out = append(add, s...)
			} else {
				out = append(s, add...)
			}
			v, _ := vm.ToValue(string(utf16.Decode(out)))
			return v
		}
	}
	length := func(v otto.Value) float64 {
		obj := v.Object()
		if obj == nil {
			return 0
		}
		l, err := obj.Get("length")
		if err != nil {
			return 0
		}
		return toInteger(l)
	}
	joinLimit := func(c otto.FunctionCall) otto.Value {
		sep := 1.0
		if v := c.Argument(1); !v.IsUndefined() {
			sep = float64(len(v.String()))
		}
		n := length(c.Argument(0))
		if sep > 0 && n > float64(maxString)/sep || n > maxArray {
			tooLong()
		}
		return otto.UndefinedValue()
	}
	stringLimit := func(c otto.FunctionCall) otto.Value {
		v := c.Argument(0)
		if len(v.String()) > maxString {
			tooLong()
		}
		return v
	}
	arrayLimit := func(c otto.FunctionCall) otto.Value {
		if n := length(c.Argument(0)); n > maxArray {
			panic(vm.MakeRangeError(fmt.Sprintf("array longer than %d elements", maxArray)))
		}
		return otto.UndefinedValue()
	}
	_, err = fn.Call(otto.UndefinedValue(), repeat, pad("padStart", true), pad("padEnd", false), joinLimit, stringLimit, arrayLimit)
	return err
}

// toInteger is ECMAScript's ToIntegerOrInfinity.
func toInteger(v otto.Value) float64 {
	f, err := v.ToFloat()
	if err != nil || math.IsNaN(f) {
		return 0
	}
	return math.Trunc(f)
}
