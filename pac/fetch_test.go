package pac

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const simplePAC = "function FindProxyForURL(url, host) { return 'DIRECT'; }\n"

func directClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil}}
}

func TestFetchHTTP(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/wpad.dat", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		w.Write([]byte(simplePAC))
	})
	mux.HandleFunc("/portal", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!DOCTYPE html><html><body>Sign in to the guest network</body></html>"))
	})
	mux.HandleFunc("/typed-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("blocked"))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("  \n")) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("// padding\n", 200000)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)

	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/wpad.dat", 0, ""},
		{"/missing", 404, "404"},
		{"/portal", 200, "HTML page"},
		{"/typed-html", 200, "HTML page"},
		{"/empty", 200, "empty"},
		{"/huge", 200, "larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		src, err := Fetch(context.Background(), directClient(), srv.URL+tt.path)
		if tt.want == "" {
			if err != nil || src != simplePAC {
				t.Errorf("%s: got %q, %v", tt.path, src, err)
			}
			continue
		}
		var fe *FetchError
		if !errors.As(err, &fe) || fe.Status != tt.status || fe.Source != srv.URL+tt.path || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want a FetchError with status %d saying %q", tt.path, err, tt.status, tt.want)
		}
	}

	// A client that would use a proxy is made direct: the proxy below
	// answers 502 to everything.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer proxy.Close()
	proxied := &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse(proxy.URL) }}}
	if src, err := Fetch(context.Background(), proxied, srv.URL+"/wpad.dat"); err != nil || src != simplePAC {
		t.Errorf("through a proxied client: got %q, %v; want it fetched directly", src, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Fetch(ctx, directClient(), srv.URL+"/slow")
	var fe *FetchError
	if !errors.As(err, &fe) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow: got %v, want a FetchError for the deadline", err)
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "proxy.pac")
	if err := os.WriteFile(path, []byte("\xef\xbb\xbf"+simplePAC), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, loc := range []string{path, "file://" + filepath.ToSlash(path)} {
		src, err := Fetch(context.Background(), nil, loc)
		if err != nil || src != simplePAC {
			t.Errorf("%s: got %q, %v", loc, src, err)
		}
	}
	_, err := Fetch(context.Background(), nil, filepath.Join(dir, "absent.pac"))
	var fe *FetchError
	if !errors.As(err, &fe) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent: got %v", err)
	}
	bin := filepath.Join(dir, "bin.pac")
	os.WriteFile(bin, []byte("\x00\x01\x02"), 0o600)
	if _, err := Fetch(context.Background(), nil, bin); err == nil || !strings.Contains(err.Error(), "not a text file") {
		t.Errorf("binary: got %v", err)
	}
}
