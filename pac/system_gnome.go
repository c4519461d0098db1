package pac

import (
	"strconv"
	"strings"
)

// gnomeSettings are the values of org.gnome.system.proxy as gsettings
// prints them: GVariant text such as 'auto', ['localhost', '*.corp'] or 8080.
type gnomeSettings struct {
	Mode, AutoconfigURL, IgnoreHosts, HTTPSHost, HTTPSPort string
}

// gnomeSystem reads GNOME's proxy settings; ok is false for mode 'none'.
func gnomeSystem(g gnomeSettings) (System, bool) {
	s := System{Source: "GNOME settings"}
	switch gvariantString(g.Mode) {
	case "auto":
		s.PACURL = gvariantString(g.AutoconfigURL)
		s.AutoDetect = s.PACURL == "" // an empty URL means WPAD
	case "manual":
		port, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(g.HTTPSPort), "uint32 ")))
		s.Proxy = hostPortJoin(gvariantString(g.HTTPSHost), port)
	default:
		return System{}, false
	}
	s.NoProxy = noProxyList(gvariantList(g.IgnoreHosts))
	return s, true
}

// gvariantString unquotes a GVariant string: 'x' or "x", with \ escapes.
func gvariantString(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}

// gvariantList splits a GVariant string array: ['a', 'b'] or @as [].
func gvariantList(v string) []string {
	v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "@as"))
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return nil
	}
	v = v[1 : len(v)-1]
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != 0 && c == '\\' && i+1 < len(v):
			i++
			cur.WriteByte(v[i])
		case quote != 0 && c == quote:
			quote = 0
			out = append(out, cur.String())
			cur.Reset()
		case quote != 0:
			cur.WriteByte(c)
		}
	}
	return out
}

// kdeSystem reads KDE's kioslaverc: [Proxy Settings] with ProxyType 1
// (manual), 2 (PAC at "Proxy Config Script") or 3 (WPAD).
func kdeSystem(text, path string) (System, bool) {
	vals := map[string]string{}
	section := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if section != "Proxy Settings" || line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if i := strings.Index(k, "["); i >= 0 { // localized or $e keys
			k = k[:i]
		}
		vals[k] = strings.TrimSpace(v)
	}
	s := System{Source: "KDE settings (" + path + ")"}
	switch vals["ProxyType"] {
	case "1":
		// httpsProxy is "http://host port" or "http://host:port".
		p := strings.TrimSpace(vals["httpsProxy"])
		if h, port, ok := strings.Cut(p, " "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(port))
			p = hostPortJoin(h, n)
		}
		s.Proxy = p
		if vals["ReversedException"] != "true" {
			s.NoProxy = noProxyList(strings.Split(vals["NoProxyFor"], ","))
		}
	case "2":
		s.PACURL = vals["Proxy Config Script"]
	case "3":
		s.AutoDetect = true
	default:
		return System{}, false
	}
	return s, true
}
