package main

import (
	"net"
	"net/url"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/trust"
)

// describeRoute says, for -v, how the issuer will be reached.
func describeRoute(c *trust.Client, s *config.Settings) string {
	u, err := url.Parse(s.Issuer.V)
	if err != nil {
		return "unknown"
	}
	if p := c.ProxyFor(u); p != nil {
		return "through proxy " + p.Redacted() + " (" + s.Proxy.Source + ")"
	}
	if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
		return "direct (" + u.Hostname() + " is this machine)"
	}
	if s.Proxy.V != "" {
		return "direct: " + u.Hostname() + " matches the no-proxy list (" + s.NoProxy.Source + ")"
	}
	return "direct (no proxy configured)"
}
