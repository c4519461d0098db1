package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
)

// Nothing is served without the access link; its token is traded once for
// a strict, HttpOnly cookie scoped to the page.
func TestAccessLinkWorksOnce(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	if w := f.get("/"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "This page needs the access link printed by codex-login web") {
		t.Fatalf("without a session: %d\n%s", w.Code, w.Body)
	}
	link := f.server.NewAccessLink()
	u, _ := url.Parse(link)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:8455/\?token=[A-Za-z0-9_-]{43}$`).MatchString(link) {
		t.Fatalf("access link %q", link)
	}
	if w := f.get("/?token=" + strings.Repeat("A", 43)); w.Code != http.StatusForbidden {
		t.Fatalf("a made-up token: %d", w.Code)
	}
	w := f.get(u.RequestURI())
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<meta http-equiv="refresh" content="0;url=/">`) || !strings.Contains(w.Body.String(), `id="continue" href="/"`) {
		t.Fatalf("trading the token: %d\n%s", w.Code, w.Body)
	}
	c := w.Result().Cookies()[0]
	if c.Name != "codex_login_web" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure || len(c.Value) != 43 {
		t.Fatalf("cookie %+v", c)
	}
	if w := f.get(u.RequestURI()); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "already used") || !strings.Contains(w.Body.String(), "SIGHUP") {
		t.Fatalf("second use: %d\n%s", w.Code, w.Body)
	}
	p := &person{f: f, cookie: c}
	page := p.page()
	for _, want := range []string{`id="status"`, "Not signed in", `id="signin-form"`, `id="signin"`, `id="device-form"`, `id="device"`, `name="viewport"`} {
		if !strings.Contains(page, want) {
			t.Errorf("idle page lacks %s", want)
		}
	}
	if strings.Contains(page, `id="signout"`) || strings.Contains(page, "<script>") || strings.Contains(page, "style=") {
		t.Error("idle page offers sign-out without a login, or has inline script or style")
	}
}

// Behind https the cookie is Secure and the page asks for HSTS.
func TestSecureCookieBehindHTTPS(t *testing.T) {
	f := newFixture(t, fixtureOptions{public: "https://agent.example.test/"})
	w := f.get(f.tokenPath())
	if c := w.Result().Cookies()[0]; !c.Secure {
		t.Fatalf("cookie %+v is not Secure", c)
	}
	if w.Header().Get("Strict-Transport-Security") == "" {
		t.Fatal("no Strict-Transport-Security over https")
	}
	if f.get("/nope").Header().Get("Strict-Transport-Security") == "" {
		t.Fatal("no Strict-Transport-Security on a 404")
	}
}

// A form without the session, the CSRF token or from another origin is
// refused, and starts nothing.
func TestFormsNeedSessionCSRFAndOrigin(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	good := p.csrf()
	cases := []struct {
		name   string
		cookie bool
		form   url.Values
		header map[string]string
	}{
		{"no cookie", false, url.Values{"csrf": {good}}, nil},
		{"no csrf", true, url.Values{}, nil},
		{"wrong csrf", true, url.Values{"csrf": {good[:42] + "x"}}, nil},
		{"wrong origin", true, url.Values{"csrf": {good}}, map[string]string{"Origin": "https://evil.example"}},
		{"null origin", true, url.Values{"csrf": {good}}, map[string]string{"Origin": "null"}},
		{"cross-site fetch", true, url.Values{"csrf": {good}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"null origin, cross-site", true, url.Values{"csrf": {good}}, map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}},
		{"null origin, same-site", true, url.Values{"csrf": {good}}, map[string]string{"Origin": "null", "Sec-Fetch-Site": "same-site"}},
		{"right origin, same-site", true, url.Values{"csrf": {good}}, map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"same-origin, wrong csrf", true, url.Values{"csrf": {good[:42] + "x"}}, map[string]string{"Origin": "null", "Sec-Fetch-Site": "same-origin"}},
	}
	for _, tc := range cases {
		for _, action := range []string{"login", "device", "complete", "cancel", "refresh", "signout"} {
			r := p.request(http.MethodPost, "/"+action, tc.form.Encode())
			if !tc.cookie {
				r.Header.Del("Cookie")
			}
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			if w := f.do(r); w.Code != http.StatusForbidden {
				t.Errorf("%s, %s: %d, want 403", tc.name, action, w.Code)
			}
		}
	}
	if n := len(f.issuer.Requests()); n != 0 {
		t.Fatalf("refused forms reached the issuer %d times", n)
	}
	if page := p.page(); !strings.Contains(page, `id="signin-form"`) || strings.Contains(page, "authorize-link") {
		t.Fatal("a refused form started a login")
	}
}

// Chromium sends "Origin: null" for the page's own forms, as the page's
// Referrer-Policy is no-referrer, and says Sec-Fetch-Site: same-origin:
// such a form is the page's own (the e2e case saw this in Chromium 156).
func TestFormFromThePageWithNullOrigin(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	r := p.request(http.MethodPost, "/login", url.Values{"csrf": {p.csrf()}}.Encode())
	r.Header.Set("Origin", "null")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if w := f.do(r); w.Code != http.StatusSeeOther {
		t.Fatalf("the page's own form with Origin null: %d, want 303", w.Code)
	}
	if page := p.page(); !strings.Contains(page, `id="authorize-link"`) {
		t.Fatal("the page's own form did not start the login")
	}
}

// A wrong paste and another login's address are shown with a hint and the
// login goes on; the right address signs in.
func TestPasteSignsIn(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	p.post("login", nil)
	page := p.page()
	link := p.authorizeURL(page)
	for _, want := range []string{`target="_blank" rel="noopener noreferrer"`, `id="paste-form" method="post" action="/complete"`, `id="redirect" name="redirect" type="text" autocomplete="off"`, `id="paste-submit"`, `id="cancel-form"`, `id="cancel"`} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if !strings.HasPrefix(link, f.url+"/oauth/authorize?") {
		t.Fatalf("authorize link %q", link)
	}

	p.post("complete", url.Values{"redirect": {"hello, this is not it"}})
	page = p.page()
	if !strings.Contains(page, `id="message" class="error"`) || !strings.Contains(page, "the pasted text is not") || !strings.Contains(page, `id="hint"`) || p.authorizeURL(page) != link {
		t.Fatalf("after a wrong paste:\n%s", page)
	}
	if strings.Contains(page, "hello, this is not it") {
		t.Fatal("the pasted text was echoed")
	}

	o := f.backend.options
	o.NoListen = true
	other, err := login.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Cancel()
	p.post("complete", url.Values{"redirect": {f.signIn(other.AuthorizeURL)}})
	if page = p.page(); !strings.Contains(page, "belongs to another login attempt") || p.authorizeURL(page) != link {
		t.Fatalf("after another login's address:\n%s", page)
	}

	p.post("complete", url.Values{"redirect": {f.signIn(link)}})
	page = p.page()
	if !strings.Contains(page, `id="message" class="ok"`) || !strings.Contains(page, "Signed in to Codex as dev@corp.test (plus)") {
		t.Fatalf("after the right address:\n%s", page)
	}
	if !strings.Contains(page, `<strong id="email">dev@corp.test</strong>`) || !strings.Contains(page, `id="refresh-form"`) || !strings.Contains(page, `id="signout-form"`) {
		t.Fatalf("signed-in page:\n%s", page)
	}
	if strings.Contains(p.page(), `id="message"`) {
		t.Fatal("the outcome was shown twice")
	}
	a, err := (&codexauth.FileStore{Home: f.home}).Load(context.Background())
	if err != nil || a == nil {
		t.Fatalf("auth.json: %v", err)
	}
	if c, _ := codexauth.ParseIDToken(a.Tokens.IDToken); c.Email != "dev@corp.test" {
		t.Fatalf("auth.json is for %q", c.Email)
	}
}

// While one visitor signs in, another sees that a sign-in is in progress,
// without its link, and can neither start another nor cancel it.
func TestOneLoginAtATime(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	owner, other := f.enter(), f.enter()
	other.csrf() // read from the idle page: the busy page has no forms
	owner.post("login", nil)
	link := owner.authorizeURL(owner.page())
	page := other.page()
	if !strings.Contains(page, `id="busy"`) || !strings.Contains(page, "another visitor") || strings.Contains(page, "authorize-link") || strings.Contains(page, "/oauth/authorize") || strings.Contains(page, `id="signin"`) {
		t.Fatalf("the other visitor's page:\n%s", page)
	}
	if !strings.Contains(page, `<meta http-equiv="refresh" content="5">`) {
		t.Fatal("the busy page does not update by itself")
	}
	other.post("login", nil)
	other.post("device", nil)
	other.post("cancel", nil)
	other.post("complete", url.Values{"redirect": {f.signIn(link)}})
	if page := other.page(); !strings.Contains(page, `id="busy"`) || !strings.Contains(page, "another visitor") {
		t.Fatalf("after trying:\n%s", page)
	}
	if got := owner.authorizeURL(owner.page()); got != link {
		t.Fatalf("the owner's login changed: %q", got)
	}
	if exists(f.authPath()) {
		t.Fatal("another visitor completed the owner's login")
	}
	owner.post("cancel", nil)
	page = owner.page()
	if !strings.Contains(page, `id="message"`) || !strings.Contains(page, `id="signin-form"`) || strings.Contains(page, "authorize-link") {
		t.Fatalf("after cancelling:\n%s", page)
	}
	if page := other.page(); strings.Contains(page, `id="busy"`) || !strings.Contains(page, `id="signin-form"`) {
		t.Fatalf("the other visitor after the cancel:\n%s", page)
	}
	f.backend.mu.Lock()
	defer f.backend.mu.Unlock()
	if len(f.backend.ended) != 1 || !errors.Is(f.backend.ended[0], login.ErrCancelled) {
		t.Fatalf("ended %v", f.backend.ended)
	}
}

// A device code login shows the code and the page, updates by itself, and
// ends when the code is entered.
func TestDeviceLogin(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	p.post("device", nil)
	page := p.page()
	m := regexp.MustCompile(`<strong id="user-code">([^<]+)</strong>`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `id="verification-link" href="`+f.url+`/codex/device"`) || !strings.Contains(page, `<meta http-equiv="refresh" content="5">`) {
		t.Fatalf("device page:\n%s", page)
	}
	if err := f.issuer.Approve(m[1]); err != nil {
		t.Fatal(err)
	}
	page = p.waitFor(`id="message" class="ok"`)
	if !strings.Contains(page, "Signed in to Codex as dev@corp.test") || !exists(f.authPath()) {
		t.Fatalf("after the code was entered:\n%s", page)
	}
}

// Refresh and sign-out run the backend and show its outcome; signing out
// removes auth.json.
func TestRefreshAndSignOut(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	p.post("login", nil)
	p.post("complete", url.Values{"redirect": {f.signIn(p.authorizeURL(p.page()))}})
	p.post("refresh", nil)
	if page := p.page(); !strings.Contains(page, "Refreshed the tokens") {
		t.Fatalf("after refresh:\n%s", page)
	}
	p.post("signout", nil)
	if page := p.page(); !strings.Contains(page, "Signed out") || !strings.Contains(page, "Not signed in") || exists(f.authPath()) {
		t.Fatalf("after sign-out:\n%s", page)
	}
}

// Behind a proxy the base path may be kept or stripped; every link, form,
// redirect and the cookie use the public one.
func TestBasePathKeptOrStripped(t *testing.T) {
	f := newFixture(t, fixtureOptions{public: "http://127.0.0.1:8455/codex/"})
	if link := f.server.NewAccessLink(); !strings.HasPrefix(link, "http://127.0.0.1:8455/codex/?token=") {
		t.Fatalf("access link %q", link)
	}
	for _, prefix := range []string{"/codex/", "/"} {
		u, _ := url.Parse(f.server.NewAccessLink())
		w := f.get(prefix + "?" + u.RawQuery)
		if c := w.Result().Cookies(); w.Code != http.StatusOK || len(c) != 1 || c[0].Path != "/codex/" {
			t.Fatalf("%s: %d, cookies %v", prefix, w.Code, c)
		}
		p := &person{f: f, cookie: w.Result().Cookies()[0]}
		for _, path := range []string{prefix, strings.TrimSuffix(prefix, "/")} {
			if path == "" {
				continue
			}
			w := f.do(p.request(http.MethodGet, path, ""))
			body := w.Body.String()
			if w.Code != http.StatusOK || !strings.Contains(body, `action="/codex/login"`) || !strings.Contains(body, `href="/codex/static/style.css"`) {
				t.Fatalf("%s: %d\n%s", path, w.Code, body)
			}
		}
		csrf := csrfField.FindStringSubmatch(f.do(p.request(http.MethodGet, prefix, "")).Body.String())[1]
		w = f.do(p.request(http.MethodPost, prefix+"refresh", url.Values{"csrf": {csrf}}.Encode()))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/codex/" {
			t.Fatalf("%srefresh: %d, Location %q", prefix, w.Code, w.Header().Get("Location"))
		}
		if w := f.get(prefix + "static/app.js"); w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "javascript") {
			t.Fatalf("%sstatic/app.js: %d %q", prefix, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

// X-Forwarded-* say where the page is only when a trusted proxy (loopback,
// or one named) sends them.
func TestForwardedHeadersOnlyFromTrustedPeers(t *testing.T) {
	forwarded := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "agent.example.test", "X-Forwarded-Prefix": "/codex"}
	cases := []struct {
		name    string
		peer    string
		proxies []string
		believe bool
	}{
		{"loopback", "127.0.0.1:50000", nil, true},
		{"loopback v6", "[::1]:50000", nil, true},
		{"named proxy", "10.1.2.3:50000", []string{"10.1.0.0/16"}, true},
		{"stranger", "10.9.2.3:50000", []string{"10.1.0.0/16"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, fixtureOptions{proxies: tc.proxies})
			u, _ := url.Parse(f.server.NewAccessLink())
			r := httptestRequest(http.MethodGet, "/?"+u.RawQuery, tc.peer, forwarded)
			w := f.do(r)
			c := w.Result().Cookies()[0]
			hsts := w.Header().Get("Strict-Transport-Security") != ""
			if tc.believe != (c.Secure && c.Path == "/codex/" && hsts) || (!tc.believe && (c.Secure || c.Path != "/" || hsts)) {
				t.Fatalf("cookie %+v, HSTS %v", c, hsts)
			}
			p := &person{f: f, cookie: c}
			body := f.do(p.request(http.MethodGet, "/", "")).Body.String()
			csrf := csrfField.FindStringSubmatch(body)[1]
			// The Origin the page expects is the one the proxy names.
			post := httptestRequest(http.MethodPost, "/refresh", tc.peer, forwarded)
			post.Body = p.request(http.MethodPost, "/", url.Values{"csrf": {csrf}}.Encode()).Body
			post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			post.Header.Set("Origin", "https://agent.example.test")
			post.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			want := http.StatusForbidden
			if tc.believe {
				want = http.StatusSeeOther
			}
			if w := f.do(post); w.Code != want {
				t.Fatalf("form with the proxy's origin: %d, want %d", w.Code, want)
			}
		})
	}
}

// Other paths are not found; other methods are not allowed.
func TestOtherPathsAndMethods(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	for _, path := range []string{"/nope", "/static/", "/static/other.js", "/static/../templates/page.html", "/templates/page.html", "/login/x", "/.env"} {
		if w := f.do(p.request(http.MethodGet, path, "")); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
	if w := f.do(p.request(http.MethodGet, "/login", "")); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /login: %d", w.Code)
	}
	if w := f.do(p.request(http.MethodPost, "/", "")); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", w.Code)
	}
	if w := f.get("/static/style.css"); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("style.css without a session: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

// A form body is bounded.
func TestRequestBodyIsBounded(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	p := f.enter()
	form := url.Values{"csrf": {p.csrf()}, "redirect": {strings.Repeat("a", 64<<10)}}
	if w := f.do(p.request(http.MethodPost, "/complete", form.Encode())); w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 64 KiB form: %d", w.Code)
	}
}
