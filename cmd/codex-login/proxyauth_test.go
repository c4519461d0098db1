package main

import (
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust"
)

// A proxy that wants NTLM: refused credentials get their own hint and
// leave auth.json alone; without credentials or a terminal the URL form is
// explained; the right ones (in the URL, or typed at the prompt) sign in,
// with the legs on one connection, and -v names the scheme.
func TestLoginThroughNTLMProxy(t *testing.T) {
	const pw = "Winter#2026"
	w := newWorld(t, worldOptions{user: `CORP\dev`, pw: pw, ntlm: true})
	old := w.writeOld()
	withCreds := func(userinfo string) string {
		return strings.Replace(w.proxy.URL().String(), "://", "://"+userinfo+"@", 1)
	}

	code, _, stderr := w.login("--ca", w.caFile, "--proxy", withCreds("CORP%5Cdev:wrong-Pa55"), "--proxy-auth", "ntlm")
	if code != exitFailure || !strings.Contains(stderr, `hint: the proxy refused CORP\dev with NTLM: check the password; write the user as DOMAIN\user (%5C in a URL) or user@domain`) {
		t.Fatalf("exit %d; refused NTLM credentials not explained:\n%s", code, stderr)
	}
	w.assertNoSecrets(stderr, "wrong-Pa55")
	w.assertUnchanged(old)

	code, _, stderr = w.login("--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "DOMAIN%5CUSER:PASSWORD@PROXY:PORT") {
		t.Fatalf("exit %d; NTLM without credentials not explained:\n%s", code, stderr)
	}
	w.assertUnchanged(old)

	before := len(w.proxy.NTLMLogins())
	code, _, stderr = w.login("--ca", w.caFile, "--proxy", withCreds("CORP%5Cdev:Winter%232026"), "-v")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "proxy authentication: NTLM") {
		t.Errorf("-v does not name the scheme:\n%s", stderr)
	}
	w.assertNoSecrets(stderr, pw, "Winter%232026")
	checkAuthFile(t, w.authPath(), w.issuerURL)
	logins := w.proxy.NTLMLogins()[before:]
	if len(logins) != 1 || !logins[0].OK || logins[0].User != "dev" || logins[0].Domain != "CORP" || logins[0].Legs != 2 {
		t.Fatalf("NTLM handshakes = %+v, want one in 2 legs on one connection", logins)
	}

	w.stdin = strings.NewReader("CORP\\dev\n")
	w.password = func() (string, error) { return pw, nil }
	code, _, stderr = w.login("--ca", w.caFile, "--proxy-auth", "ntlm")
	if code != 0 || !strings.Contains(stderr, `password of CORP\dev for proxy`) {
		t.Fatalf("exit %d; the prompt did not sign in:\n%s", code, stderr)
	}
	w.assertNoSecrets(stderr, pw)
}

func TestKerberosFailuresHaveTheirOwnHint(t *testing.T) {
	for kind, want := range map[string]string{
		trust.KerberosCacheType:        "KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit",
		trust.KerberosClockSkew:        "NTP",
		trust.KerberosUnknownPrincipal: "full host name",
		trust.KerberosKDCUnreachable:   "krb5.conf",
		trust.KerberosExpired:          "kinit",
	} {
		err := &trust.ProxyAuthError{Proxy: "http://proxy.corp.test:3128", Schemes: []string{"Negotiate"}, Err: &trust.KerberosError{Kind: kind}}
		if hint, _ := explain(err, nil); !strings.Contains(hint, want) {
			t.Errorf("%s: hint %q, want %q", kind, hint, want)
		}
	}
}
