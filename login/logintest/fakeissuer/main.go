// Command fakeissuer serves the logintest fake OpenAI issuer over TLS, for
// end-to-end tests that run real programs (codex-login, a real proxy, the
// Codex CLI) against it.
//
//	fakeissuer -dir DIR [-listen 127.0.0.1:0] [-name auth.corp.test] [-deny access_denied] ...
//
// It generates an origin CA, writes DIR/origin-ca.pem, listens, then writes
// DIR/addr (host:port) and serves until SIGTERM or SIGINT. GET /_test/state
// answers JSON with the requests seen, the user codes issued and the revoked
// refresh tokens, each as the first 12 hex characters of its SHA-256: never
// a token. POST /_test/approve?user_code=CODE approves a device code.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/trust/trusttest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "fakeissuer: error: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("fakeissuer", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	name := fs.String("name", "auth.corp.test", "host name in the server certificate (127.0.0.1 is always added)")
	dir := fs.String("dir", "", "directory for origin-ca.pem and addr (required)")
	var o logintest.Options
	fs.StringVar(&o.ClientID, "client-id", "", "OAuth client id (default Codex's)")
	fs.StringVar(&o.AccountID, "account-id", "", "chatgpt_account_id claim")
	fs.StringVar(&o.Email, "email", "", "email claim")
	fs.StringVar(&o.Plan, "plan", "", "chatgpt_plan_type claim")
	fs.StringVar(&o.DenyError, "deny", "", "authorize redirects back with this error, e.g. access_denied")
	fs.StringVar(&o.DenyDescription, "deny-description", "", "error_description sent with -deny")
	fs.BoolVar(&o.AllowAnyPort, "any-port", false, "accept a redirect_uri on any loopback port")
	fs.BoolVar(&o.APIKeyFailure, "api-key-failure", false, "answer the API-key token exchange with 400")
	fs.BoolVar(&o.NoDeviceAuth, "no-device-auth", false, "answer the device code endpoints with 404")
	fs.StringVar(&o.DeviceInterval, "device-interval", "", `device code polling interval in seconds (default "5")`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("-dir is required")
	}
	ca, err := trusttest.NewCA("Corp Test Origin CA")
	if err != nil {
		return fmt.Errorf("generate origin CA: %w", err)
	}
	if _, err := ca.WriteCert(*dir, "origin-ca.pem"); err != nil {
		return err
	}
	issuer := logintest.NewIssuer(o)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_test/state", func(w http.ResponseWriter, _ *http.Request) { state(w, issuer) })
	mux.HandleFunc("POST /_test/approve", func(w http.ResponseWriter, r *http.Request) {
		if err := issuer.Approve(r.URL.Query().Get("user_code")); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
		}
	})
	mux.Handle("/", issuer)
	srv, err := logintest.ListenTLS(*listen, mux, ca, *name, "127.0.0.1")
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := writeAddr(*dir, srv.Addr); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	return nil
}

// state answers GET /_test/state without revealing any token.
func state(w http.ResponseWriter, i *logintest.Issuer) {
	revoked := i.Revoked()
	prefixes := make([]string, 0, len(revoked))
	for _, t := range revoked {
		sum := sha256.Sum256([]byte(t))
		prefixes = append(prefixes, hex.EncodeToString(sum[:])[:12])
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"requests":       i.Requests(),
		"revoked":        len(revoked),
		"revoked_sha256": prefixes,
		"api_keys":       len(i.APIKeys()),
		"user_codes":     i.UserCodes(),
	})
}

// writeAddr writes dir/addr atomically, so a reader never sees half of it.
func writeAddr(dir, addr string) error {
	tmp := filepath.Join(dir, ".addr.tmp")
	if err := os.WriteFile(tmp, []byte(addr), 0o644); err != nil {
		return fmt.Errorf("write address file: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "addr")); err != nil {
		return fmt.Errorf("write address file: %w", err)
	}
	return nil
}
