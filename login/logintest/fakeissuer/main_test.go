package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles the command into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "fakeissuer")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// waitFile waits for path to exist and returns its contents.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			return b
		}
	}
	t.Fatalf("%s did not appear", path)
	return nil
}

func TestCommandServes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("stops the command with SIGTERM")
	}
	bin := build(t)
	dir := t.TempDir()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "-dir", dir, "-listen", "127.0.0.1:0", "-name", "auth.corp.test", "-any-port")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // fails harmlessly once the command has exited
		<-exited
	})

	addr := strings.TrimSpace(string(waitFile(t, filepath.Join(dir, "addr"))))
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("addr file holds %q: %v", addr, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(waitFile(t, filepath.Join(dir, "origin-ca.pem"))) {
		t.Fatal("origin-ca.pem holds no certificate")
	}
	// Reach auth.corp.test at addr without a DNS lookup.
	d := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	defer client.CloseIdleConnections()
	base := "https://auth.corp.test:" + port

	get, _ := http.NewRequest(http.MethodGet, base+"/.well-known/openid-configuration", nil)
	get.Header.Set("User-Agent", "") // Codex sends none; the issuer challenges Go's default
	resp, err := client.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	var disc map[string]any
	err = json.NewDecoder(resp.Body).Decode(&disc)
	resp.Body.Close()
	if err != nil || disc["issuer"] != base || disc["token_endpoint"] != base+"/oauth/token" {
		t.Fatalf("discovery %v (%v)", disc, err)
	}

	const token = "rt_revoked-by-the-test"
	body := `{"token":"` + token + `","token_type_hint":"refresh_token","client_id":"app_EMoamEEZ73f0CkXaXp7hrann"}`
	post, _ := http.NewRequest(http.MethodPost, base+"/oauth/revoke", strings.NewReader(body))
	post.Header = http.Header{"Content-Type": {"application/json"}, "Originator": {"codex_cli_rs"}, "User-Agent": {""}}
	resp, err = client.Do(post)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()

	resp, err = client.Get(base + "/_test/state")
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	_, _ = raw.ReadFrom(resp.Body)
	resp.Body.Close()
	var state struct {
		Requests      []string `json:"requests"`
		Revoked       int      `json:"revoked"`
		RevokedSHA256 []string `json:"revoked_sha256"`
	}
	if err := json.Unmarshal(raw.Bytes(), &state); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if state.Revoked != 1 || len(state.RevokedSHA256) != 1 || state.RevokedSHA256[0] != hex.EncodeToString(sum[:])[:12] {
		t.Errorf("state %s", raw.Bytes())
	}
	if strings.Contains(raw.String(), token) {
		t.Error("/_test/state reveals the revoked token")
	}
	want := "GET /.well-known/openid-configuration,POST /oauth/revoke"
	if got := strings.Join(state.Requests, ","); got != want {
		t.Errorf("requests %q, want %q", got, want)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", waitErr, stderr.Bytes())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command did not stop on SIGTERM")
	}
}

func TestCommandNeedsDir(t *testing.T) {
	out, err := exec.Command(build(t)).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "-dir is required") {
		t.Errorf("without -dir: %v\n%s", err, out)
	}
}
