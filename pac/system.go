package pac

import (
	"bufio"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// System is what the operating system says about proxies for this user.
type System struct {
	PACURL     string // an auto-config URL the OS names; "" none
	AutoDetect bool   // WPAD auto-detection is on
	Proxy      string // a static https proxy ("host:port" or URL); "" none
	NoProxy    string // its bypass list, NO_PROXY syntax
	Source     string // where this came from, for people
}

// commandTimeout bounds every command SystemSettings runs.
const commandTimeout = 2 * time.Second

// output runs a command bounded by ctx and commandTimeout.
func output(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	return string(out), err
}

// hostPortJoin makes "host:port" of a host and a port the settings keep
// apart; "" when there is no host.
func hostPortJoin(host string, port int) string {
	host = strings.TrimSpace(host)
	if host == "" {
		return ""
	}
	if port <= 0 {
		return host
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") && !strings.Contains(host, "://") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(port)
}

// WPADCandidates lists where WPAD looks for a PAC file, in order:
// http://wpad/wpad.dat, then wpad.<suffix> for each suffix of each search
// domain down to two labels (corp.example.com gives wpad.corp.example.com
// and wpad.example.com, never wpad.com).
func WPADCandidates(searchDomains []string) []string {
	out := []string{"http://wpad/wpad.dat"}
	seen := map[string]bool{out[0]: true}
	for _, d := range searchDomains {
		d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), ".")
		labels := strings.Split(d, ".")
		for i := 0; len(labels)-i >= 2; i++ {
			u := "http://wpad." + strings.Join(labels[i:], ".") + "/wpad.dat"
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// parseResolvConf gives the search domains of a resolv.conf: the last
// search or domain line wins, as in the resolver.
func parseResolvConf(text string) []string {
	var domains []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], ";") {
			continue
		}
		switch f[0] {
		case "search":
			domains = nil
			for _, d := range f[1:] {
				if strings.HasPrefix(d, "#") || strings.HasPrefix(d, ";") {
					break
				}
				domains = append(domains, d)
			}
		case "domain":
			domains = []string{f[1]}
		}
	}
	return domains
}
