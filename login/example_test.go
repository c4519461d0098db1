package login_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// pageEvents is what a web server might do with a login's events: keep
// secrets out of its logs, and log the rest.
type pageEvents struct{ secrets []string }

func (e *pageEvents) Secret(v string)                      { e.secrets = append(e.secrets, v) }
func (e *pageEvents) AuthorizeURL(string, int)             {}
func (e *pageEvents) DeviceCode(string, string, time.Time) {}
func (e *pageEvents) Waiting()                             {}
func (e *pageEvents) Warn(err error)                       {}
func (e *pageEvents) Logf(string, ...any)                  {}

// A web server signs a user in whose browser is on another machine: it
// starts a session, shows its AuthorizeURL as a link, and hands the
// address the user's browser ended on (which failed to load there) to
// Complete. Here a fake issuer plays auth.openai.com and a small function
// plays the user's browser.
func ExampleStart() {
	ca, _ := trusttest.NewCA("Example CA")
	issuer := logintest.NewIssuer(logintest.Options{Email: "dev@corp.test", Plan: "plus"})
	srv, _ := logintest.StartTLS(issuer, ca, "127.0.0.1")
	defer srv.Close()
	issuer.SetURL(srv.URL("127.0.0.1"))
	home, _ := os.MkdirTemp("", "codex-home")
	defer os.RemoveAll(home)

	// In a real server: trust.NewClient gives the client (proxy, CA), and
	// oauth.DefaultIssuer and oauth.DefaultClientID are the real issuer.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	s, err := login.Start(context.Background(), login.Options{
		OAuth:    &oauth.Client{HTTP: client, Issuer: srv.URL("127.0.0.1"), ClientID: logintest.DefaultClientID},
		Store:    &codexauth.FileStore{Home: home},
		NoListen: true, // the user's browser is elsewhere: only Complete ends the login
		Events:   &pageEvents{},
	})
	if err != nil {
		fmt.Println("cannot start:", err) // what failed, before anyone signs in
		return
	}
	fmt.Println("show a link to the sign-in page:", s.AuthorizeURL != "")

	pasted := userSignsIn(client, s.AuthorizeURL) // what the user pastes into the page
	res, err := s.Complete(context.Background(), pasted)
	if err != nil {
		fmt.Println("sign-in failed:", err)
		return
	}
	fmt.Printf("signed in as %s (%s), saved to %s\n", res.Email, res.Plan, filepath.Base(res.Location))
	// Output:
	// show a link to the sign-in page: true
	// signed in as dev@corp.test (plus), saved to auth.json
}

// userSignsIn plays the user: sign in at the authorize URL, end on the
// loopback address that fails to load, copy it from the address bar.
func userSignsIn(client *http.Client, authorizeURL string) string {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodGet, authorizeURL, nil)
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		return ""
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}
