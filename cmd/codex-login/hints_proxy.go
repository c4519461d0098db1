package main

import (
	"fmt"
	"strings"
)

// proxyCause is what a proxy's error page says went wrong on its side of
// the route: squid names it in X-Squid-Error, other proxies in the page.
type proxyCause int

const (
	causeUnknown proxyCause = iota
	causeResolve            // the proxy could not resolve the host
	causeConnect            // it could not connect to the host
	causeTLS                // its own TLS to the host failed (an inspecting proxy)
	causePolicy             // its policy denies the host
	causeTimeout            // the host did not answer it in time
)

// proxyCauses maps squid's error codes and the words of other proxies'
// pages (mitmproxy, Zscaler, Netskope, Palo Alto) to a cause. The first
// match wins, squid's code before the page's words.
var proxyCauses = []struct {
	cause proxyCause
	words []string
}{
	{causeResolve, []string{"ERR_DNS_FAIL", "name or service not known", "could not resolve", "unable to determine ip address", "nxdomain", "no such host", "name resolution", "dns"}},
	{causeTLS, []string{"ERR_SECURE_CONNECT_FAIL", "certificate verify failed", "ssl handshake", "tls handshake", "certificate_unknown", "unable to get local issuer"}},
	{causeConnect, []string{"ERR_CONNECT_FAIL", "connection refused", "network is unreachable", "no route to host", "connection to", "could not connect"}},
	{causeTimeout, []string{"ERR_READ_TIMEOUT", "ERR_LIFETIME_EXP", "timed out", "timeout"}},
	{causePolicy, []string{"ERR_ACCESS_DENIED", "access denied", "blocked", "forbidden by policy", "not allowed"}},
}

func classifyProxy(squidError, page string) proxyCause {
	for _, text := range []string{squidError, page} {
		text = strings.ToLower(text)
		if text == "" {
			continue
		}
		for _, c := range proxyCauses {
			for _, w := range c.words {
				if strings.Contains(text, strings.ToLower(w)) {
					return c.cause
				}
			}
		}
	}
	return causeUnknown
}

// proxyCauseHint is the hint for a proxy that could not reach host.
func proxyCauseHint(cause proxyCause, host string) string {
	switch cause {
	case causeResolve:
		return fmt.Sprintf("the proxy could not resolve %s; check the issuer's name (--issuer), and if it is right ask IT why the proxy cannot resolve it", host)
	case causeConnect:
		return fmt.Sprintf("the proxy could not connect to %s; ask IT to let the proxy reach it (a firewall rule on the proxy's side)", host)
	case causeTLS:
		return fmt.Sprintf("the proxy could not set up TLS with %s (it does not trust the issuer's certificate, or inspection breaks it); ask IT to fix or exempt %s in the proxy's TLS inspection", host, host)
	case causePolicy:
		return fmt.Sprintf("the proxy's policy blocks %s; ask IT to allow it", host)
	case causeTimeout:
		return fmt.Sprintf("%s did not answer the proxy in time; try again in a few minutes, and if it persists ask IT to check the proxy's route to it", host)
	}
	return fmt.Sprintf("the proxy could not reach %s; check that %s is the right issuer, or ask IT to allow it", host, host)
}
