package main

import (
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// caFile signs in with --ca naming a file of the given content.
func caFile(content func(t *testing.T) []byte) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		p := filepath.Join(w.dir, "given.pem")
		if err := os.WriteFile(p, content(t), 0o600); err != nil {
			t.Fatal(err)
		}
		return []string{"--ca", p}
	}
}

func bytesOf(s string) func(*testing.T) []byte { return func(*testing.T) []byte { return []byte(s) } }

func randomPEM(blockType string) func(*testing.T) []byte {
	return func(*testing.T) []byte {
		b := make([]byte, 64)
		rand.Read(b)
		return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: b})
	}
}

// pkcs7 is an empty PKCS #7 signedData ContentInfo, as Windows exports
// certificate bundles: SEQUENCE { OID 1.2.840.113549.1.7.2, [0] { SEQUENCE {} } }.
func pkcs7(*testing.T) []byte {
	oid := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}
	content := []byte{0xa0, 0x02, 0x30, 0x00}
	return append(append([]byte{0x30, byte(len(oid) + len(content))}, oid...), content...)
}

func serverCert(t *testing.T) []byte {
	ca, err := trusttest.NewCA("Some Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue("srv.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]})
}

func otherCA(t *testing.T) []byte {
	ca, err := trusttest.NewCA("Some Other Corp Root")
	if err != nil {
		t.Fatal(err)
	}
	return ca.PEM()
}

// answer makes the issuer answer requests to path (and, for the token
// endpoint, of one grant type) with a canned reply; $CODE and $VERIFIER in
// the body are replaced by the request's own, as a careless server would
// echo them.
func answer(path, grant string, status int, header http.Header, body string) logintest.Options {
	return logintest.Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != path {
			return false
		}
		if grant != "" {
			if r.ParseForm() != nil || r.PostForm.Get("grant_type") != grant {
				return false
			}
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		b := strings.NewReplacer("$CODE", r.PostForm.Get("code"), "$VERIFIER", r.PostForm.Get("code_verifier")).Replace(body)
		w.WriteHeader(status)
		fmt.Fprint(w, b)
		return true
	}}
}

const (
	discovery = "/.well-known/openid-configuration"
	token     = "/oauth/token"
	codeGrant = "authorization_code"
)

var html = http.Header{"Content-Type": {"text/html; charset=utf-8"}}

// squidAnswer answers CONNECT as squid does when it cannot reach the host.
func squidAnswer(status int, squidError, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if squidError != "" {
			w.Header().Set("X-Squid-Error", squidError)
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body>%s</body></html>", title, title)
	}
}

// socksProxy points HTTPS_PROXY at a SOCKS 5 proxy that refuses with the
// given reply, or misbehaves.
func socksProxy(reply byte, fault trusttest.Fault) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		s, err := trusttest.NewSOCKS(trusttest.SOCKSOptions{Upstream: map[string]string{issuerHost: w.server.Addr}, Reply: reply, Fault: fault})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		w.env["HTTPS_PROXY"] = s.URL().String()
		return []string{"--ca", w.caFile}
	}
}

func busyPort(t *testing.T, w *world) []string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go http.Serve(ln, http.NotFoundHandler()) // ignores /cancel
	return []string{"--ca", w.caFile, "--port", fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)}
}

var networkCases = []badInput{
	{area: "ca", name: "--ca names a missing file", setup: argsIn("--ca", "$D/none.pem"), code: 1, msg: "none.pem (from --ca): no such file", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names an empty file", setup: caFile(bytesOf("")), code: 1, msg: "the file is empty", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names a file that is neither PEM nor DER", setup: caFile(bytesOf("not a certificate\n")), code: 1, msg: "neither PEM nor DER", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names a private key", setup: caFile(randomPEM("PRIVATE KEY")), code: 1, msg: "only PRIVATE KEY", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names a corrupt certificate", setup: caFile(randomPEM("CERTIFICATE")), code: 1, msg: "certificate 1 cannot be parsed", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names a server certificate", setup: caFile(serverCert), code: 1, msg: "is a server certificate for srv.corp.test, not a CA", hint: "root CA that issued it"},
	{area: "ca", name: "--ca names a PKCS #7 bundle", setup: caFile(pkcs7), code: 1, msg: "PKCS #7", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names a directory", setup: argsIn("--ca", "$D"), code: 1, msg: "is a directory, not a certificate file", hint: "the path given by --ca"},
	{area: "ca", name: "--ca names /dev/zero", setup: args("--ca", "/dev/zero"), code: 1, msg: "is a device, not a certificate file", hint: "the path given by --ca", unix: true},
	{area: "ca", name: "--ca names a named pipe", setup: fifoCA, code: 1, msg: "FIFO", hint: "the path given by --ca", unix: true},
	{area: "ca", name: "SSL_CERT_FILE is the system bundle, no corporate CA", setup: func(t *testing.T, w *world) []string {
		const bundle = "/etc/ssl/certs/ca-certificates.crt"
		if _, err := os.Stat(bundle); err != nil {
			t.Skip("no system bundle at " + bundle)
		}
		w.env["SSL_CERT_FILE"] = bundle
		return nil
	}, code: 1, msg: `issued by "Corp Inspection CA"`, hint: `"Corp Inspection CA": run codex-login trust fetch`},
	{area: "ca", name: "--ca names another CA than the proxy's", setup: caFile(otherCA), code: 1, msg: `issued by "Corp Inspection CA", which is not trusted here`, hint: `none of the configured CA files contains "Corp Inspection CA"`},
	{area: "ca", name: "no CA for an inspecting proxy", setup: func(*testing.T, *world) []string { return nil }, code: 1, msg: `issued by "Corp Inspection CA"`, hint: `"Corp Inspection CA": run codex-login trust fetch`},

	{area: "proxy", name: "proxy wants Basic credentials, none given", world: worldOptions{user: "dev", pw: "hunter22"}, code: 1, msg: "requires authentication (it asks for Basic)", hint: "--proxy http://USER:PASSWORD@PROXY:PORT"},
	{area: "proxy", name: "proxy rejects the password", world: worldOptions{user: "dev", pw: "hunter22"}, setup: func(t *testing.T, w *world) []string {
		w.env["HTTPS_PROXY"] = strings.Replace(w.proxy.URL().String(), "://", "://dev:wrong-Pa55@", 1)
		return []string{"--ca", w.caFile}
	}, code: 1, msg: "rejected the credentials", hint: "check the user name and password in the proxy URL (it comes from HTTPS_PROXY)"},
	{area: "proxy", name: "proxy refuses CONNECT", world: worldOptions{refuse: true}, code: 1, msg: "refused to connect to auth.corp.test", hint: "ask IT to allow it"},
	{area: "proxy", name: "NO_PROXY sends a proxy-only name direct", setup: withEnv("NO_PROXY", ".corp.test"), code: 1, msg: "cannot resolve auth.corp.test", hint: `matches the no-proxy list ".corp.test" (it comes from NO_PROXY)`},
	{area: "proxy", name: "--proxy \"\" on a network that needs one", setup: args("--proxy", ""), code: 1, msg: "cannot resolve auth.corp.test", hint: "needs a proxy"},

	{area: "proxy", name: "proxy never answers CONNECT", world: worldOptions{fault: trusttest.FaultNoAnswer, shortLimits: true}, code: 1, msg: "did not answer CONNECT for auth.corp.test within 2s", hint: "never answered; check its address and port (it comes from HTTPS_PROXY)"},
	{area: "proxy", name: "proxy hangs up on CONNECT", world: worldOptions{fault: trusttest.FaultHangUp}, code: 1, msg: "closed the connection without answering CONNECT", hint: "ask IT whether the proxy lets this machine reach auth.corp.test"},
	{area: "proxy", name: "TLS never completes inside the tunnel", world: worldOptions{fault: trusttest.FaultNoHandshake, shortLimits: true}, code: 1, msg: "did not finish within 2s", hint: "stalled inside the proxy's tunnel"},
	{area: "proxy", name: "https:// URL for a plain-HTTP proxy", setup: func(t *testing.T, w *world) []string {
		w.env["HTTPS_PROXY"] = strings.Replace(w.proxy.URL().String(), "http://", "https://", 1)
		return []string{"--ca", w.caFile}
	}, code: 1, msg: "speaks plain HTTP, not TLS", hint: "write it as http://HOST:PORT"},
	{area: "proxy", name: "http:// URL for a TLS proxy port", world: worldOptions{httpsProxy: true}, setup: func(t *testing.T, w *world) []string {
		w.env["HTTPS_PROXY"] = strings.Replace(w.proxy.URL().String(), "https://", "http://", 1)
		return []string{"--ca", w.caFile}
	}, code: 1, msg: "proxy", hint: "https://HOST:PORT"},
	{area: "proxy", name: "proxy cannot resolve the issuer (squid 503 on CONNECT)", world: worldOptions{answer: squidAnswer(503, "ERR_DNS_FAIL 0", "ERROR: The requested URL could not be retrieved")}, code: 1, msg: "ERR_DNS_FAIL", hint: "could not resolve auth.corp.test"},
	{area: "proxy", name: "proxy cannot connect to the issuer (502 page on CONNECT)", world: worldOptions{answer: squidAnswer(502, "", "Server connection to auth.corp.test failed: Connection refused")}, code: 1, msg: "502", hint: "could not connect to auth.corp.test"},
	{area: "proxy", name: "SOCKS proxy refuses the host", setup: socksProxy(5, trusttest.NoFault), code: 1, msg: "SOCKS proxy", hint: "check the SOCKS proxy"},
	{area: "proxy", name: "SOCKS proxy never answers", world: worldOptions{shortLimits: true}, setup: socksProxy(0, trusttest.FaultNoAnswer), code: 1, msg: "SOCKS proxy", hint: "never answered"},

	{area: "preflight", name: "block page without proxy headers", world: worldOptions{issuer: answer(discovery, "", 200, html, "<title>Web Filter</title>blocked")}, code: 1, msg: `titled "Web Filter"`, hint: "captive portal"},
	{area: "preflight", name: "captive portal redirect", world: worldOptions{issuer: answer(discovery, "", 302, http.Header{"Location": {"http://portal.hotel.test/login?mac=1"}}, "")}, code: 1, msg: "portal.hotel.test", hint: "sign in to the network"},
	{area: "preflight", name: "bot challenge", world: worldOptions{issuer: answer(discovery, "", 403, http.Header{"Content-Type": {"text/html"}, "Cf-Mitigated": {"challenge"}}, "<title>Just a moment...</title>")}, code: 1, msg: "bot challenge", hint: "bot protection"},
	{area: "preflight", name: "proxy could not resolve the issuer (502)", world: worldOptions{issuer: answer(discovery, "", 503, http.Header{"Content-Type": {"text/html"}, "X-Squid-Error": {"ERR_DNS_FAIL 0"}}, "<title>ERROR: The requested URL could not be retrieved</title>")}, code: 1, msg: "ERR_DNS_FAIL", hint: "could not resolve auth.corp.test"},
	{area: "preflight", name: "proxy could not connect to the issuer (502)", world: worldOptions{issuer: answer(discovery, "", 502, html, "<h1>502 Bad Gateway</h1>Server connection to ('auth.corp.test', 443) failed: Connection refused")}, code: 1, msg: "502", hint: "could not connect to auth.corp.test"},
	{area: "preflight", name: "proxy's TLS to the issuer failed (503)", world: worldOptions{issuer: answer(discovery, "", 503, http.Header{"Content-Type": {"text/html"}, "X-Squid-Error": {"ERR_SECURE_CONNECT_FAIL 71"}}, "<title>ERROR</title>")}, code: 1, msg: "ERR_SECURE_CONNECT_FAIL", hint: "could not set up TLS with auth.corp.test"},
	{area: "preflight", name: "not an issuer: text instead of discovery JSON", world: worldOptions{issuer: answer(discovery, "", 200, http.Header{"Content-Type": {"text/plain"}}, "hello")}, code: 1, msg: "openid-configuration", hint: "--issuer"},
	{area: "preflight", name: "not an issuer: 404", world: worldOptions{issuer: answer(discovery, "", 404, http.Header{"Content-Type": {"application/json"}}, `{"error":"not_found"}`)}, code: 1, msg: "404", hint: "--issuer"},

	{area: "token", name: "code refused: invalid_grant", world: worldOptions{issuer: answer(token, codeGrant, 400, http.Header{"Content-Type": {"application/json"}}, `{"error":"invalid_grant","error_description":"code expired"}`)}, code: 1, msg: "invalid_grant: code expired", hint: "already used or has expired"},
	{area: "token", name: "error quoting the code and the verifier", world: worldOptions{issuer: answer(token, codeGrant, 400, http.Header{"Content-Type": {"application/json"}}, `{"error":"invalid_request","error_description":"bad code $CODE for $VERIFIER"}`)}, code: 1, msg: "invalid_request: bad code", hint: "run codex-login again"},
	{area: "token", name: "page title quoting the code", world: worldOptions{issuer: answer(token, codeGrant, 403, html, "<title>Denied $CODE</title>")}, code: 1, msg: "answered with a web page", hint: "block page"},
	{area: "token", name: "proxy block page at the token endpoint", world: worldOptions{issuer: answer(token, codeGrant, 403, http.Header{"Content-Type": {"text/html"}, "Via": {"1.1 proxy"}}, "<title>Access denied</title>")}, code: 1, msg: `proxy's web page titled "Access denied"`, hint: "block page"},
	{area: "token", name: "server error as plain text", world: worldOptions{issuer: answer(token, codeGrant, 500, http.Header{"Content-Type": {"text/plain"}}, "upstream exploded")}, code: 1, msg: "upstream exploded", hint: "run codex-login again"},
	{area: "token", name: "reply over 1 MiB", world: worldOptions{issuer: answer(token, codeGrant, 200, http.Header{"Content-Type": {"application/json"}}, `{"id_token":"`+strings.Repeat("a", 2<<20)+`"}`)}, code: 1, msg: "1 MiB", hint: "--issuer"},
	{area: "token", name: "reply without refresh_token", world: worldOptions{issuer: answer(token, codeGrant, 200, http.Header{"Content-Type": {"application/json"}}, `{"id_token":"a.b.c","access_token":"x"}`)}, code: 1, msg: "no refresh_token", hint: "--issuer"},
	{area: "token", name: "id_token that is not a JWT", world: worldOptions{issuer: answer(token, codeGrant, 200, http.Header{"Content-Type": {"application/json"}}, `{"id_token":"not-a-jwt","access_token":"x","refresh_token":"rt_x"}`)}, code: 1, msg: "not a JWT", hint: "--issuer"},
	{area: "token", name: "gateway error at the token endpoint", world: worldOptions{issuer: answer(token, codeGrant, 504, nil, "")}, code: 1, msg: "504", hint: "auth.corp.test"},

	{area: "callback", name: "Codex not enabled for the workspace", world: worldOptions{issuer: logintest.Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement"}}, code: 4, msg: "Codex is not enabled", hint: "workspace admin"},
	{area: "callback", name: "sign-in refused in the browser", world: worldOptions{issuer: logintest.Options{DenyError: "access_denied", DenyDescription: "user said no"}}, code: 4, msg: "access_denied: user said no", hint: "approve the sign-in"},
	{area: "callback", name: "account outside the forced workspace", world: worldOptions{issuer: logintest.Options{IgnoreWorkspace: true}}, setup: inHome("config.toml", "forced_chatgpt_workspace_id = \"ws-other\"\n"), code: 4, msg: `allows only "ws-other"`, hint: "allowed workspaces"},
	{area: "callback", name: "no callback before --timeout", setup: func(t *testing.T, w *world) []string {
		w.env["BROWSER"] = "true"
		return []string{"--ca", w.caFile, "--timeout", "1s"}
	}, code: 1, msg: "within 1s", hint: "--timeout"},
	{area: "callback", name: "callback port held by another program", setup: busyPort, code: 1, msg: "cannot listen for the browser callback", hint: "stop pid"},

	{area: "device", name: "device login off for the workspace", world: worldOptions{issuer: logintest.Options{NoDeviceAuth: true}}, setup: args("--device-auth"), code: 1, msg: "does not offer device code login", hint: "--paste"},
	{area: "flags", name: "--paste with --device-auth", setup: args("--paste", "--device-auth"), code: 2, msg: "choose one", hint: "--help"},
	{area: "store", name: "CODEX_HOME is a regular file", setup: func(t *testing.T, w *world) []string {
		w.env["CODEX_HOME"] = filepath.Join(w.dir, "corp.pem")
		return []string{"--ca", w.caFile}
	}, code: 1, msg: "corp.pem", hint: "--codex-home"},
}

func badInputs() []badInput { return append(append([]badInput(nil), configCases...), networkCases...) }
