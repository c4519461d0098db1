//go:build unix && !darwin

package trust

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// resetPreload forgets any preloaded reading, before and after the test.
func resetPreload(t testing.TB) {
	t.Helper()
	clear := func() {
		preload.mu.Lock()
		done := preload.done
		preload.mu.Unlock()
		if done != nil {
			<-done
		}
		preload.mu.Lock()
		preload.read, preload.done = nil, nil
		preload.mu.Unlock()
	}
	clear()
	t.Cleanup(clear)
}

// A pool built after PreloadSystemRoots holds what a pool built without
// it holds, in the same order; a preload of other places is not used.
func TestPreloadSystemRoots(t *testing.T) {
	resetPreload(t)
	pub1, pub2, pub3 := newCA(t, "Public Root 1"), newCA(t, "Public Root 2"), newCA(t, "Public Root 3")
	sys := t.TempDir()
	bundle := write(t, sys, "ca-certificates.crt", pemOf(pub1.Cert, pub2.Cert))
	write(t, sys, "extra.pem", pemOf(pub3.Cert, pub1.Cert))
	useSystemBundle(t, bundle, sys)

	cold, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	PreloadSystemRoots()
	warm, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cold.SystemCerts()
	b, _ := warm.SystemCerts()
	if len(a) != 3 || len(b) != 3 {
		t.Fatalf("cold %d roots, warm %d, want 3", len(a), len(b))
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			t.Fatalf("root %d differs: %s, %s", i, a[i].Subject, b[i].Subject)
		}
	}

	// The preload read sys; a pool of other places reads those.
	other := t.TempDir()
	useSystemBundle(t, write(t, other, "bundle.crt", pemOf(pub3.Cert)))
	p, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.SystemCount() != 1 {
		t.Fatalf("after a preload of other places: %d roots, want 1", p.SystemCount())
	}
}

// SSL_CERT_FILE and SSL_CERT_DIR naming the system's own bundle and
// directory (as Nix, conda and many images set them) are not read again;
// a copy elsewhere is read, and adds nothing new either.
func TestSystemLocationsNotReadTwice(t *testing.T) {
	resetPreload(t)
	pub1, pub2 := newCA(t, "Public Root 1"), newCA(t, "Public Root 2")
	sys := t.TempDir()
	bundle := write(t, sys, "ca-certificates.crt", pemOf(pub1.Cert, pub2.Cert))
	useSystemBundle(t, bundle, sys)
	link := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.Symlink(bundle, link); err != nil {
		t.Fatal(err)
	}
	copyFile := write(t, t.TempDir(), "copy.crt", pemOf(pub2.Cert))

	p, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		l    Location
		same bool
	}{
		{Location{Path: bundle, Source: "SSL_CERT_FILE", Optional: true}, true},
		{Location{Path: link, Source: "SSL_CERT_FILE", Optional: true}, true},
		{Location{Path: sys, Source: "SSL_CERT_DIR", Dir: true, Optional: true}, true},
		{Location{Path: sys, Source: "SSL_CERT_FILE", Optional: true}, false}, // a directory named as a file
		{Location{Path: copyFile, Source: "SSL_CERT_FILE", Optional: true}, false},
	} {
		if got := p.readAlready(tc.l); got != tc.same {
			t.Errorf("%s=%s: read already %v, want %v", tc.l.Source, tc.l.Path, got, tc.same)
		}
	}
	all, err := NewPool(true, []Location{
		{Path: link, Source: "SSL_CERT_FILE", Optional: true},
		{Path: sys, Source: "SSL_CERT_DIR", Dir: true, Optional: true},
		{Path: copyFile, Source: "SSL_CERT_FILE", Optional: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if all.SystemCount() != 2 || len(all.Configured()) != 0 || len(all.Warnings()) != 0 {
		t.Fatalf("%d roots, configured %d, warnings %v", all.SystemCount(), len(all.Configured()), all.Warnings())
	}
	// Without the system roots, the same file is read as any other.
	none, err := NewPool(false, []Location{{Path: bundle, Source: "SSL_CERT_FILE", Optional: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Configured()) != 2 {
		t.Fatalf("without system roots: %d configured, want 2", len(none.Configured()))
	}
}

// BenchmarkNewPoolSystemEnv is the pool when SSL_CERT_FILE and
// SSL_CERT_DIR name the system's own bundle and directory, as on many
// machines: they must cost nothing more than the system roots.
func BenchmarkNewPoolSystemEnv(b *testing.B) {
	files, dirs := systemPaths()
	if len(files) == 0 || len(dirs) == 0 {
		b.Skip("no system paths here")
	}
	locs := []Location{
		{Path: files[0], Source: "SSL_CERT_FILE", Optional: true},
		{Path: dirs[0], Source: "SSL_CERT_DIR", Dir: true, Optional: true},
	}
	for b.Loop() {
		p, err := NewPool(true, locs)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(p.SystemCount()), "roots")
	}
}

// blockSystemRoots makes the next reading of the system roots wait until
// the returned function is called; the roots are then bundle.
func blockSystemRoots(t *testing.T, bundle string) (release func()) {
	t.Helper()
	resetPreload(t)
	gate := make(chan struct{})
	old := systemRootPaths
	systemRootPaths = func() ([]string, []string) {
		<-gate
		return []string{bundle}, nil
	}
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { release(); systemRootPaths = old })
	return release
}

// StartPool returns before the system roots are read; the client's TCP
// connect and CONNECT go out meanwhile, and its TLS handshake waits for
// them. The files a person chose are read at once, so their problems are
// not late.
func TestStartPoolOverlapsTheRoute(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{})
	bundle := write(t, t.TempDir(), "ca-certificates.crt", pemOf(n.inspect.Cert))
	release := blockSystemRoots(t, bundle)

	if _, err := StartPool(true, []Location{{Path: filepath.Join(t.TempDir(), "missing.pem"), Source: "--ca"}}); err == nil {
		t.Fatal("StartPool with a missing --ca file: no error")
	}
	p, err := StartPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(Options{Pool: p, Proxy: n.proxyURL("", "")})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		body, err := get(t, c, "https://auth.corp.test/")
		done <- result{body, err}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for n.proxy.Connects("auth.corp.test") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no CONNECT reached the proxy while the system roots were being read")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case r := <-done:
		t.Fatalf("the request ended before the roots were read: %q, %v", r.body, r.err)
	case <-time.After(50 * time.Millisecond):
	}
	release()
	r := <-done
	if r.err != nil || r.body != "hello from auth.corp.test" {
		t.Fatalf("after the roots were read: %q, %v", r.body, r.err)
	}
	if p.SystemCount() != 1 {
		t.Fatalf("%d system roots, want 1", p.SystemCount())
	}
}
