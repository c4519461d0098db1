package config

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Row is one effective setting as `config show` lists it.
type Row struct {
	Key      string // the [login] key or Codex's key; "codex_home" for CODEX_HOME
	Value    string // as written in a file, with a URL's password as "xxxxx"
	Source   string // where it came from, as Value.Source says
	Enforced bool   // managed: no later source may change it
	Enforcer string // the source that manages it, when Enforced
}

// Rows lists every effective setting in a fixed order: one ca_certificate
// row per CA file (one empty row when there is none), use_system_roots,
// proxy, no_proxy, pac_url, proxy_auth, issuer, client_id, callback_port,
// open_browser, timeout, forced_login_method, forced_chatgpt_workspace_id,
// cli_auth_credentials_store, codex_home.
func (s *Settings) Rows() []Row {
	row := func(key, value, source string) Row {
		enforcer, managed := s.Managed[key]
		return Row{Key: key, Value: value, Source: source, Enforced: managed, Enforcer: enforcer}
	}
	var rows []Row
	for _, c := range s.CA {
		rows = append(rows, row("ca_certificate", c.Path, c.Source))
	}
	if len(s.CA) == 0 {
		rows = append(rows, row("ca_certificate", "", sourceDefault))
	}
	str := func(key string, v Value[string]) Row { return row(key, v.V, v.Source) }
	flag := func(key string, v Value[bool]) Row { return row(key, strconv.FormatBool(v.V), v.Source) }
	redacted := func(key string, v Value[string]) Row { return row(key, redactURL(v.V), v.Source) }
	return append(rows,
		flag("use_system_roots", s.UseSystemRoots),
		redacted("proxy", s.Proxy),
		str("no_proxy", s.NoProxy),
		redacted("pac_url", s.PAC),
		str("proxy_auth", s.ProxyAuth),
		redacted("issuer", s.Issuer),
		str("client_id", s.ClientID),
		row("callback_port", strconv.Itoa(s.CallbackPort.V), s.CallbackPort.Source),
		flag("open_browser", s.OpenBrowser),
		row("timeout", formatDuration(s.Timeout.V), s.Timeout.Source),
		str("forced_login_method", s.ForcedLoginMethod),
		row("forced_chatgpt_workspace_id", strings.Join(s.ForcedWorkspaceIDs.V, ", "), s.ForcedWorkspaceIDs.Source),
		str("cli_auth_credentials_store", s.CredentialsStore),
		row("codex_home", s.CodexHome, s.CodexHomeSource),
	)
}

// redactURL replaces the password of a URL with "xxxxx". A proxy written
// without a scheme (user:pw@proxy:3128) is read as http://.
func redactURL(v string) string {
	if !strings.Contains(v, "@") {
		return v
	}
	in, prefix := v, ""
	if !strings.Contains(v, "://") {
		in, prefix = "http://"+v, "http://"
	}
	u, err := url.Parse(in)
	if err != nil {
		return "xxxxx" // unparsable, and it may hold a password
	}
	return strings.TrimPrefix(u.Redacted(), prefix)
}

// formatDuration writes a duration as a file would: "15m" rather than
// "15m0s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
