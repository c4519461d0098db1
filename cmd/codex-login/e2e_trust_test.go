//go:build e2e

package main_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The path of a user who knows only that the login fails, through squid:
// doctor, trust fetch, login, trust codex, and Codex refreshing its own
// token through squid with nothing in its environment.
var e2eTrustCases = []e2eCase{
	{"doctor_names_stale_settings_in_dotenv", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := l.Addr().String()
		l.Close()
		env := filepath.Join(r.codexHome, ".env")
		e2eWrite(t, env, "HTTPS_PROXY=http://"+dead+"\nSSL_CERT_FILE=/opt/old-project/ca.pem\n")
		r.Command, r.Args = "doctor", []string{"--issuer", r.Issuer}
		r.Run(t, w)
		if r.Exit != 1 || !strings.Contains(r.Stderr, "nobody answers at http://"+dead) ||
			!strings.Contains(r.Stderr, "delete the HTTPS_PROXY line from "+env) ||
			!strings.Contains(r.Stderr, "delete the SSL_CERT_FILE line from "+env) {
			t.Fatalf("doctor: exit %d; the dead proxy and the stale SSL_CERT_FILE in .env are not both named with their fix", r.Exit)
		}
	}},
	{"doctor_trust_fetch_login_trust_codex_then_codex_refreshes", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Env["HTTPS_PROXY"] = w.squid.URL // the user's shell knows the proxy, nothing else
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		step := func(command string, args ...string) *e2eRun {
			s := *r
			s.Command, s.Args = command, append([]string{"--issuer", r.Issuer}, args...)
			s.Run(t, w)
			t.Logf("TRANSCRIPT $ codex-login %s %s\n%s", command, strings.Join(args, " "), s.Stderr)
			return &s
		}

		doctor := step("doctor")
		if doctor.Exit != 1 || !strings.Contains(doctor.Stderr, `"`+w.squid.CACN+`"`) || !strings.Contains(doctor.Stderr, "hint:") {
			t.Fatalf("doctor before: exit %d; squid's CA is not named with a hint", doctor.Exit)
		}

		saved := filepath.Join(r.home, "corp-root.pem")
		fetch := step("trust", "fetch", "--save", saved, "--fingerprint", e2eFingerprint(t, w.squid.CA))
		if fetch.Exit != 0 || !strings.Contains(fetch.Stderr, w.squid.CACN) {
			t.Fatalf("trust fetch: exit %d", fetch.Exit)
		}

		r.Args = []string{"--ca", saved}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		t.Logf("TRANSCRIPT $ codex-login --ca %s\n%s", saved, r.Stderr)
		if r.Exit != 0 || !strings.Contains(r.Stderr, "run codex-login trust codex") {
			t.Fatalf("login: exit %d, or trust codex not offered", r.Exit)
		}
		r.checkAuthFile(t, w)

		if tc := step("trust", "codex", "--ca", saved); tc.Exit != 0 {
			t.Fatalf("trust codex: exit %d", tc.Exit)
		}
		delete(r.Env, "HTTPS_PROXY") // from now on, only $CODEX_HOME/.env knows the route
		if after := step("doctor"); after.Exit != 0 || strings.Contains(after.Stderr, "warn  codex") {
			t.Fatalf("doctor after trust codex: exit %d", after.Exit)
		}

		before := e2eExpireAccess(t, r.codexHome)
		requests := len(w.issuer.Requests())
		connects := w.squid.Count(t, w.squid.accessLog, "CONNECT", strings.TrimPrefix(r.Issuer, "https://"))
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, w.codex, "exec", "--skip-git-repo-check", "say hi")
		cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "CODEX_HOME=" + r.codexHome, "TMPDIR=" + os.TempDir()}
		cmd.Dir = r.dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		// codex is a node script that starts the native binary: stop both.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Codex refreshes first, then waits for a backend this sandbox does
		// not have: once the new tokens are saved, the rest is not needed.
		refreshed := false
	wait:
		for {
			for _, req := range w.issuer.Requests()[requests:] {
				refreshed = refreshed || strings.Contains(req, "grant_type=refresh_token")
			}
			if refreshed && e2eRefreshToken(t, r.codexHome) != before {
				cancel()
			}
			select {
			case <-done:
				break wait
			case <-time.After(100 * time.Millisecond):
			}
		}
		t.Logf("TRANSCRIPT $ codex exec 'say hi' (nothing in the environment; stopped once it refreshed)\n%s", e2eIndent(out.String()))
		after := e2eRefreshToken(t, r.codexHome)
		if !refreshed || after == before || !strings.HasPrefix(after, "rt_") {
			t.Fatalf("Codex did not refresh its token at the issuer (refresh seen %v, refresh token changed %v)", refreshed, after != before)
		}
		if n := w.squid.Count(t, w.squid.accessLog, "CONNECT", strings.TrimPrefix(r.Issuer, "https://")); n <= connects {
			t.Fatal("Codex's refresh did not go through squid")
		}
	}},
}

func init() { e2eCases = append(e2eCases, e2eTrustCases...) }

func e2eWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// e2eFingerprint is the SHA-256 of the certificate in file, as IT would publish it.
func e2eFingerprint(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s holds no PEM certificate", file)
	}
	sum := sha256.Sum256(block.Bytes)
	return hex.EncodeToString(sum[:])
}

// e2eExpireAccess makes the login in home look due for a refresh, as after
// ten days away: an expired access token and an old last_refresh. It
// returns the refresh token.
func e2eExpireAccess(t *testing.T, home string) string {
	t.Helper()
	path := filepath.Join(home, "auth.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a e2eAuthFile
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	seg := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	a.Tokens.AccessToken = seg(map[string]string{"alg": "none"}) + "." + seg(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}) + ".c2ln"
	a.LastRefresh = time.Now().Add(-10 * 24 * time.Hour).UTC().Format(time.RFC3339Nano)
	out, _ := json.MarshalIndent(&a, "", "  ")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return a.Tokens.RefreshToken
}

func e2eRefreshToken(t *testing.T, home string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(home, "auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a e2eAuthFile
	json.Unmarshal(raw, &a)
	return a.Tokens.RefreshToken
}

// The only command that changes the OS trust store, run for real in a
// mount namespace of its own (tmpfs over the store's directories, so the
// machine's store never changes): after it, curl trusts squid's forgeries.
var e2eInstallCase = e2eCase{"trust_install_then_curl_trusts_squid", func(t *testing.T, w *e2eWorld) {
	if _, err := exec.LookPath("update-ca-certificates"); err != nil {
		t.Skip("no update-ca-certificates here")
	}
	url := w.issuerURL(e2eName) + "/.well-known/openid-configuration"
	script := `set -u
for d in /usr/local/share/ca-certificates /etc/ssl/certs /etc/ca-certificates/update.d; do
	[ -d "$d" ] && mount -t tmpfs tmpfs "$d"
done
update-ca-certificates >/dev/null 2>&1
get() { curl -sS --max-time 10 --proxy "$PROXY" -o /dev/null -w '%{http_code}' "$URL"; }
if get 2>/dev/null; then echo "curl trusted squid before the install"; exit 3; fi
"$BIN" trust install --yes "$CA" || exit 4
echo "after install: HTTP $(get)"
"$BIN" trust uninstall --yes "$CA" || exit 5
if get 2>/dev/null; then echo "curl still trusts squid after the uninstall"; exit 6; fi
echo uninstalled`
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
	cmd.Env = []string{"PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin", "HOME=" + t.TempDir(),
		"PROXY=" + w.squid.URL, "URL=" + url, "BIN=" + w.bin, "CA=" + w.squid.CA}
	out, err := cmd.CombinedOutput()
	t.Logf("TRANSCRIPT trust install / uninstall in a mount namespace:\n%s", e2eIndent(string(out)))
	if err != nil || !strings.Contains(string(out), "after install: HTTP 200") || !strings.Contains(string(out), "uninstalled") {
		t.Fatalf("trust install: %v", err)
	}
}}

func init() { e2eCases = append(e2eCases, e2eInstallCase) }
