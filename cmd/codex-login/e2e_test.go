//go:build e2e

// The end-to-end suite: the real codex-login binary, a real
// TLS-inspecting squid, the fake issuer on a .test name, a scripted browser
// through $BROWSER, and the real Codex CLI reading what was written.
//
// It runs only through testdata/e2e/run.sh, which builds everything outside
// and then runs this test binary inside a network namespace of its own (see
// testdata/e2e/sandbox.sh): every packet stays on loopback and no name
// lookup leaves the machine. The names:
//
//	auth.corp.test   squid's hosts_file and the sandbox's /etc/hosts: 127.0.0.1
//	login.corp.test  squid's hosts_file only: resolvable through squid, not direct
//
// Environment: CODEX_LOGIN_BIN (the binary under test), CODEX_BIN (the Codex
// CLI), E2E_SCRIPTS (testdata/e2e; default ../../testdata/e2e).
package main_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/trust/trusttest"
)

const (
	e2eName       = "auth.corp.test"  // in squid's hosts_file and in /etc/hosts
	e2eSecondName = "login.corp.test" // in squid's hosts_file only
)

// e2eWorld is what every case shares: one fake issuer, two squids.
type e2eWorld struct {
	bin, codex, scripts string
	originCA            string // PEM file of the CA that signed the issuer's certificate
	issuer              *logintest.Issuer
	server              *logintest.Server
	squid               *e2eSquid
	owners              map[string]bool // login_owner_id of every login so far
}

// issuerURL is https://host:port of the fake issuer under the given name.
func (w *e2eWorld) issuerURL(host string) string { return w.server.URL(host) }

func TestE2E(t *testing.T) {
	e2eRequireSandbox(t)
	w := &e2eWorld{
		bin:     e2eRequireFile(t, os.Getenv("CODEX_LOGIN_BIN"), "CODEX_LOGIN_BIN"),
		codex:   e2eRequireFile(t, os.Getenv("CODEX_BIN"), "CODEX_BIN"),
		scripts: os.Getenv("E2E_SCRIPTS"),
		owners:  map[string]bool{},
	}
	if w.scripts == "" {
		w.scripts = filepath.Join("..", "..", "testdata", "e2e")
	}
	e2eServeNXDOMAIN(t)

	ca, err := trusttest.NewCA("Corp Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	if w.originCA, err = ca.WriteCert(t.TempDir(), "origin-ca.pem"); err != nil {
		t.Fatal(err)
	}
	w.issuer = logintest.NewIssuer(logintest.Options{AllowAnyPort: true})
	if w.server, err = logintest.StartTLS(w.issuer, ca, e2eName, e2eSecondName, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.server.Close)
	w.squid = e2eStartSquid(t, w.scripts, w.originCA)

	for _, c := range e2eCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, w) })
	}
}

// e2eRequireSandbox stops the suite unless it runs where it cannot reach
// beyond loopback: only loopback interfaces, and a resolver on 127.0.0.1.
func e2eRequireSandbox(t *testing.T) {
	const how = "run the suite with testdata/e2e/run.sh, which isolates it in a network namespace"
	ifaces, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagLoopback == 0 {
			t.Fatalf("network interface %s is not loopback: %s", ifc.Name, how)
		}
	}
	conf, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(conf), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "nameserver" && f[1] != "127.0.0.1" {
			t.Fatalf("/etc/resolv.conf names nameserver %s: %s", f[1], how)
		}
	}
}

func e2eRequireFile(t *testing.T, path, env string) string {
	t.Helper()
	if path == "" {
		t.Fatalf("%s is not set: run the suite with testdata/e2e/run.sh", env)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
