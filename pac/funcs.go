package pac

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/dop251/goja"
)

// install gives r the standard PAC functions and bounds the built-ins that
// build strings.
func install(ctx context.Context, r *goja.Runtime, o Options) error {
	str := func(c goja.FunctionCall, i int) string {
		v := c.Argument(i)
		if goja.IsUndefined(v) || goja.IsNull(v) {
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
	b := func(v bool) goja.Value { return r.ToValue(v) }
	funcs := map[string]func(goja.FunctionCall) goja.Value{
		"isPlainHostName": func(c goja.FunctionCall) goja.Value { return b(isPlainHostName(str(c, 0))) },
		"dnsDomainIs":     func(c goja.FunctionCall) goja.Value { return b(strings.HasSuffix(str(c, 0), str(c, 1))) },
		"localHostOrDomainIs": func(c goja.FunctionCall) goja.Value {
			return b(localHostOrDomainIs(str(c, 0), str(c, 1)))
		},
		"dnsDomainLevels": func(c goja.FunctionCall) goja.Value { return r.ToValue(strings.Count(str(c, 0), ".")) },
		"shExpMatch":      func(c goja.FunctionCall) goja.Value { return b(shExpMatch(str(c, 0), str(c, 1))) },
		"isResolvable":    func(c goja.FunctionCall) goja.Value { return b(firstIPv4(resolve(str(c, 0))) != nil) },
		"isResolvableEx":  func(c goja.FunctionCall) goja.Value { return b(len(resolve(str(c, 0))) > 0) },
		"dnsResolve": func(c goja.FunctionCall) goja.Value {
			if ip := firstIPv4(resolve(str(c, 0))); ip != nil {
				return r.ToValue(ip.String())
			}
			return goja.Null()
		},
		"dnsResolveEx": func(c goja.FunctionCall) goja.Value { return r.ToValue(joinIPs(resolve(str(c, 0)))) },
		"isInNet": func(c goja.FunctionCall) goja.Value {
			return b(isInNet(str(c, 0), str(c, 1), str(c, 2), resolve))
		},
		"isInNetEx": func(c goja.FunctionCall) goja.Value { return b(isInNetEx(str(c, 0), str(c, 1), resolve)) },
		"myIpAddress": func(c goja.FunctionCall) goja.Value {
			if ip := firstIPv4(nonLoopback(o.MyIPs())); ip != nil {
				return r.ToValue(ip.String())
			}
			return r.ToValue("127.0.0.1")
		},
		"myIpAddressEx":     func(c goja.FunctionCall) goja.Value { return r.ToValue(joinIPs(o.MyIPs())) },
		"sortIpAddressList": func(c goja.FunctionCall) goja.Value { s, ok := sortIPList(str(c, 0)); return orFalse(r, s, ok) },
		"getClientVersion":  func(c goja.FunctionCall) goja.Value { return r.ToValue("1.0") },
		"alert":             func(c goja.FunctionCall) goja.Value { return goja.Undefined() },
		"weekdayRange":      func(c goja.FunctionCall) goja.Value { return b(weekdayRange(o.Now(), args(c))) },
		"dateRange":         func(c goja.FunctionCall) goja.Value { return b(dateRange(o.Now(), args(c))) },
		"timeRange":         func(c goja.FunctionCall) goja.Value { return b(timeRange(o.Now(), args(c))) },
	}
	for name, f := range funcs {
		if err := r.Set(name, f); err != nil {
			return err
		}
	}
	return boundBuiltins(r)
}

func orFalse(r *goja.Runtime, s string, ok bool) goja.Value {
	if !ok {
		return r.ToValue(false)
	}
	return r.ToValue(s)
}

func args(c goja.FunctionCall) []string {
	out := make([]string, len(c.Arguments))
	for i, v := range c.Arguments {
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

// boundBuiltins replaces the built-ins that can build a huge string in one
// native call with versions that refuse to go past maxString.
func boundBuiltins(r *goja.Runtime) error {
	proto := r.Get("String").ToObject(r).Get("prototype").ToObject(r)
	tooLong := func() { panic(r.NewTypeError("string longer than %d characters", maxString)) }
	for _, name := range []string{"repeat", "padStart", "padEnd"} {
		orig, ok := goja.AssertFunction(proto.Get(name))
		if !ok {
			continue
		}
		name := name
		if err := proto.Set(name, func(c goja.FunctionCall) goja.Value {
			n, unit := c.Argument(0).ToInteger(), int64(1)
			if name == "repeat" {
				unit = int64(len(c.This.String()))
			}
			if unit > 0 && n > maxString/unit {
				tooLong()
			}
			v, err := orig(c.This, c.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		}); err != nil {
			return err
		}
	}
	aproto := r.Get("Array").ToObject(r).Get("prototype").ToObject(r)
	join, ok := goja.AssertFunction(aproto.Get("join"))
	if !ok {
		return nil
	}
	return aproto.Set("join", func(c goja.FunctionCall) goja.Value {
		sep := int64(1)
		if v := c.Argument(0); !goja.IsUndefined(v) {
			sep = int64(len(v.String()))
		}
		if n := c.This.ToObject(r).Get("length").ToInteger(); sep > 0 && n > maxString/sep {
			tooLong()
		}
		v, err := join(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		if len(v.String()) > maxString {
			tooLong()
		}
		return v
	})
}
