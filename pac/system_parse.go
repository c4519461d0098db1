package pac

import (
	"strconv"
	"strings"
)

// scutilSystem reads the dictionary `scutil --proxy` prints on macOS.
func scutilSystem(text string) (System, bool) {
	// Only the top level counts: __SCOPED__ holds per-interface copies.
	vals := map[string]string{}
	var exceptions []string
	depth, inExceptions := 0, false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "}" {
			depth--
			inExceptions = inExceptions && depth >= 2
			continue
		}
		k, v, _ := strings.Cut(line, " : ")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case depth == 1 && k == "ExceptionsList" && strings.HasSuffix(v, "{"):
			inExceptions = true
		case depth == 1 && v != "" && !strings.HasSuffix(v, "{"):
			vals[k] = v
		case depth == 2 && inExceptions:
			exceptions = append(exceptions, v)
		}
		if strings.HasSuffix(line, "{") {
			depth++
		}
	}
	s := System{Source: "macOS network settings"}
	if vals["ProxyAutoConfigEnable"] == "1" {
		s.PACURL = vals["ProxyAutoConfigURLString"]
	}
	s.AutoDetect = vals["ProxyAutoDiscoveryEnable"] == "1"
	if vals["HTTPSEnable"] == "1" {
		port, _ := strconv.Atoi(vals["HTTPSPort"])
		s.Proxy = hostPortJoin(vals["HTTPSProxy"], port)
	}
	if s.PACURL == "" && !s.AutoDetect && s.Proxy == "" {
		return System{}, false
	}
	s.NoProxy = noProxyList(exceptions)
	return s, true
}

// winSettings are the values under HKCU\Software\Microsoft\Windows\
// CurrentVersion\Internet Settings (and its Connections key).
type winSettings struct {
	AutoConfigURL             string
	ProxyEnable               uint32
	ProxyServer               string // "host:port" or "http=h:p;https=h:p"
	ProxyOverride             string // "*.corp.test;<local>"
	DefaultConnectionSettings []byte // byte 8 holds the flags; 0x08 auto-detect
}

func windowsSystem(w winSettings) (System, bool) {
	s := System{Source: "Windows Internet Options", PACURL: strings.TrimSpace(w.AutoConfigURL)}
	if len(w.DefaultConnectionSettings) > 8 {
		s.AutoDetect = w.DefaultConnectionSettings[8]&0x08 != 0
	}
	if w.ProxyEnable != 0 {
		s.Proxy = windowsHTTPSProxy(w.ProxyServer)
		s.NoProxy = noProxyList(strings.Split(w.ProxyOverride, ";"))
	}
	if s.PACURL == "" && !s.AutoDetect && s.Proxy == "" {
		return System{}, false
	}
	return s, true
}

// windowsHTTPSProxy picks the proxy for https out of ProxyServer: the
// "https=" part, or the whole value when it names one proxy for all.
func windowsHTTPSProxy(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "=") {
		return v
	}
	for _, part := range strings.Split(v, ";") {
		if k, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(k, "https") {
			return strings.TrimSpace(val)
		}
	}
	return ""
}

// noProxyList turns a bypass list of the OS into NO_PROXY syntax:
// "*.corp.test" becomes ".corp.test", names and addresses stay, and
// what NO_PROXY cannot say ("<local>", "10.*") is left out.
func noProxyList(entries []string) string {
	var out []string
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if rest, ok := strings.CutPrefix(e, "*."); ok {
			e = "." + rest
		}
		if e == "" || strings.ContainsAny(e, "*<>? ") {
			continue
		}
		out = append(out, e)
	}
	return strings.Join(out, ",")
}
