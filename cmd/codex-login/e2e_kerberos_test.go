//go:build e2e

package main_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Negotiate (Kerberos) to a proxy, for real: an MIT KDC of its own
// (testdata/e2e/kdc.sh, realm CORP.TEST) and a squid that checks tickets
// with negotiate_kerberos_auth and the keytab of HTTP/proxy.corp.test. The
// user's ticket comes from the real kinit, in a file credential cache.
var e2eKerberosCases = []e2eCase{
	{"kerberos", func(t *testing.T, w *e2eWorld) {
		k := e2eStartKerberos(t, w)
		t.Run("kinit_and_curl", func(t *testing.T) {
			// The setup itself: the ticket from kinit gets curl through squid.
			cc := k.kinit(t, t.TempDir())
			curl := exec.Command("curl", "-sS", "--max-time", "10", "--proxy", k.URL, "--proxy-negotiate", "-U", ":",
				"--cacert", k.CA, "-o", "/dev/null", "-w", "%{http_code}", w.issuerURL(e2eName)+"/")
			curl.Env = append(os.Environ(), "KRB5CCNAME="+cc, "KRB5_CONFIG="+k.Config)
			start := time.Now()
			out, err := curl.CombinedOutput()
			if err != nil {
				t.Fatalf("curl --proxy-negotiate through %s: %v\n%s", k.URL, err, out)
			}
			t.Logf("curl through the Negotiate squid with %s: HTTP %s in %v", cc, out, time.Since(start).Round(time.Millisecond))
			k.wantUser(t, "curl")
		})
		t.Run("login_with_ticket", func(t *testing.T) {
			r := e2eNewRun(t, w)
			r.Env["KRB5CCNAME"] = k.kinit(t, r.dir)
			r.Env["KRB5_CONFIG"] = k.Config
			r.Args = []string{"--ca", k.CA, "--proxy", k.URL, "--proxy-auth", "negotiate"}
			r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
			r.expectThroughSquid(t, w, k.accessLog, func() { r.Run(t, w) })
			r.wantSuccess(t, w)
			k.wantUser(t, "codex-login")
			r.checkCodexStatus(t, w)
		})
		t.Run("no_ticket_fails_before_browser", func(t *testing.T) {
			r := e2eNewRun(t, w)
			old := r.seedAuthFile(t)
			r.Env["KRB5CCNAME"] = "FILE:" + filepath.Join(r.dir, "empty-cache")
			r.Env["KRB5_CONFIG"] = k.Config
			r.Args = []string{"--ca", k.CA, "--proxy", k.URL, "--proxy-auth", "negotiate"}
			r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
			r.Run(t, w)
			r.wantFailure(t, old, "kinit", "empty-cache")
			if r.BrowserOpened() {
				t.Errorf("the browser was opened although there was no ticket")
			}
		})
	}},
}

func init() { e2eCases = append(e2eCases, e2eKerberosCases...) }

// e2eKerberos is a KDC and a squid that demands Negotiate.
type e2eKerberos struct {
	Config, User, password string // krb5.conf, the user principal and its password
	URL, CA                string // http://proxy.corp.test:port, the squid's inspection CA
	accessLog, kdcLog      string
}

// e2eStartKerberos starts kdc.sh and then squid.sh with the keytab, and
// arranges for both to stop.
func e2eStartKerberos(t *testing.T, w *e2eWorld) *e2eKerberos {
	t.Helper()
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	kdcDir := filepath.Join(os.TempDir(), "codex-login-e2e-kdc-"+hex.EncodeToString(suffix))
	squidDir := filepath.Join(os.TempDir(), "codex-login-e2e-squid-negotiate-"+hex.EncodeToString(suffix))
	kdcScript, squidScript := filepath.Join(w.scripts, "kdc.sh"), filepath.Join(w.scripts, "squid.sh")

	start := time.Now()
	if out, err := exec.Command("bash", kdcScript, "start", kdcDir).CombinedOutput(); err != nil {
		t.Fatalf("kdc.sh start: %v\n%s", err, out)
	}
	kdcPIDs := e2eReadPIDs(t, filepath.Join(kdcDir, "pids"))
	t.Cleanup(func() {
		if out, err := exec.Command("bash", kdcScript, "stop", kdcDir).CombinedOutput(); err != nil {
			t.Errorf("kdc.sh stop: %v\n%s", err, out)
		}
	})
	kenv := e2eReadEnv(t, filepath.Join(kdcDir, "env"))
	k := &e2eKerberos{Config: kenv["KRB5_CONFIG"], User: kenv["KRB_USER"], password: kenv["KRB_PASSWORD"], kdcLog: kenv["KDC_LOG"]}
	t.Logf("KDC for CORP.TEST on 127.0.0.1:%s (pids %v), started in %v", kenv["KDC_PORT"], kdcPIDs, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	cmd := exec.Command("bash", squidScript, "start", squidDir)
	cmd.Env = append(os.Environ(), "ORIGIN_CA="+w.originCA, "HOSTS="+e2eName+" "+e2eSecondName,
		"KRB5_KEYTAB="+kenv["KEYTAB"], "KRB5_CONFIG="+k.Config)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("squid.sh start (with Negotiate): %v\n%s", err, out)
	}
	pids := e2eReadPIDs(t, filepath.Join(squidDir, "pids"))
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range []string{"negotiate/access.log", "negotiate/cache.log"} {
				if b, err := os.ReadFile(filepath.Join(squidDir, name)); err == nil {
					t.Logf("squid %s:\n%s", name, e2eTail(string(b), 40))
				}
			}
			if b, err := os.ReadFile(k.kdcLog); err == nil {
				t.Logf("kdc.log:\n%s", e2eTail(string(b), 20))
			}
		}
		e2eStopSquid(t, squidScript, squidDir, pids)
	})
	senv := e2eReadEnv(t, filepath.Join(squidDir, "env"))
	k.URL, k.CA, k.accessLog = senv["NEGOTIATE_URL"], senv["PROXY_CA"], senv["NEGOTIATE_ACCESS_LOG"]
	if k.URL == "" {
		t.Fatalf("squid.sh wrote no NEGOTIATE_URL")
	}
	t.Logf("Negotiate squid %s (pids %v), started in %v", k.URL, pids, time.Since(start).Round(time.Millisecond))
	return k
}

// kinit gets the user a TGT in a new file cache under dir, with the real
// kinit and the password on its standard input; it returns KRB5CCNAME.
func (k *e2eKerberos) kinit(t *testing.T, dir string) string {
	t.Helper()
	cc := "FILE:" + filepath.Join(dir, "krb5cc")
	cmd := exec.Command("kinit", "-c", cc, k.User)
	cmd.Env = append(os.Environ(), "KRB5_CONFIG="+k.Config)
	cmd.Stdin = strings.NewReader(k.password + "\n")
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kinit %s: %v\n%s", k.User, err, out)
	}
	t.Logf("kinit %s into %s in %v", k.User, cc, time.Since(start).Round(time.Millisecond))
	return cc
}

// wantUser checks that squid logged a request by the Kerberos user: it
// accepted the ticket.
func (k *e2eKerberos) wantUser(t *testing.T, who string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(k.accessLog); err == nil && strings.Contains(string(b), " "+k.User+" ") {
			return
		}
	}
	t.Errorf("squid logged no request by %s: it did not accept the ticket %s sent", k.User, who)
}
