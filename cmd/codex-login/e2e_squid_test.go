//go:build e2e

package main_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2eSquid is the pair of squids started by testdata/e2e/squid.sh: plain
// (no authentication) and auth (Basic), both forging certificates with one
// inspection CA generated at start.
type e2eSquid struct {
	dir                string
	URL, AuthURL       string // http://127.0.0.1:port, no credentials
	User, Password     string // what the auth squid accepts
	CA, CACN           string // inspection CA certificate file and its subject CN
	accessLog, authLog string
	NTLMURL, ntlmLog   string // the NTLM squid (ntlm_fake_auth: any password passes)
}

// AuthURLWith is the auth squid's URL with user:password in it.
func (s *e2eSquid) AuthURLWith(user, password string) string {
	return "http://" + user + ":" + password + "@" + strings.TrimPrefix(s.AuthURL, "http://")
}

// e2eStartSquid runs squid.sh start and arranges for squid.sh stop, which
// stops the squids by their PIDs; it then checks that each PID is gone.
func e2eStartSquid(t *testing.T, scripts, originCA string) *e2eSquid {
	t.Helper()
	// squid runs as user proxy: its directory must be under one it can enter
	// (t.TempDir's are 0700), and squid.sh creates it.
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	dir := filepath.Join(os.TempDir(), "codex-login-e2e-squid-"+hex.EncodeToString(suffix))
	script := filepath.Join(scripts, "squid.sh")

	start := time.Now()
	cmd := exec.Command("bash", script, "start", dir)
	cmd.Env = append(os.Environ(), "ORIGIN_CA="+originCA, "HOSTS="+e2eName+" "+e2eSecondName)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("squid.sh start: %v\n%s", err, out)
	}
	pids := e2eReadPIDs(t, filepath.Join(dir, "pids"))
	t.Cleanup(func() { e2eStopSquid(t, script, dir, pids) })

	env := e2eReadEnv(t, filepath.Join(dir, "env"))
	s := &e2eSquid{
		dir: dir, URL: env["PROXY_URL"], AuthURL: env["AUTH_PROXY_URL"],
		User: env["PROXY_USER"], Password: env["PROXY_PASS"],
		CA: env["PROXY_CA"], CACN: env["PROXY_CA_CN"],
		accessLog: env["ACCESS_LOG"], authLog: env["AUTH_ACCESS_LOG"],
		NTLMURL: env["NTLM_URL"], ntlmLog: env["NTLM_ACCESS_LOG"],
	}
	t.Logf("squid plain %s, auth %s (pids %v), started in %v", s.URL, s.AuthURL, pids, time.Since(start).Round(time.Millisecond))
	return s
}

func e2eStopSquid(t *testing.T, script, dir string, pids []int) {
	if t.Failed() {
		for _, name := range []string{"plain/access.log", "auth/access.log", "plain/cache.log", "auth/cache.log"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				t.Logf("squid %s:\n%s", name, e2eTail(string(b), 40))
			}
		}
	}
	if out, err := exec.Command("bash", script, "stop", dir).CombinedOutput(); err != nil {
		t.Errorf("squid.sh stop: %v\n%s", err, out)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("squid pid %d still exists after squid.sh stop", pid)
		}
	}
}

// Count counts the requests in an access log (accessLog or authLog) whose
// method is method and whose URL starts with prefix: for CONNECT the URL is
// host:port, for a request inside a bumped tunnel https://host:port/path.
func (s *e2eSquid) Count(t *testing.T, log, method, prefix string) int {
	t.Helper()
	b, err := os.ReadFile(log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 7 && f[5] == method && strings.HasPrefix(f[6], prefix) {
			n++
		}
	}
	return n
}

// e2eReadEnv reads KEY="value" lines.
func e2eReadEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		env[k] = v
	}
	return env
}

func e2eReadPIDs(t *testing.T, path string) []int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		pids = append(pids, pid)
	}
	return pids
}

func e2eTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
