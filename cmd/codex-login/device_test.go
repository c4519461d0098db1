package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login/logintest"
)

// --device-auth through the intercepting proxy: the code is shown (and as
// a --json event), the user enters it on another device, and Codex's file
// is written without an API key, as Codex's own device login writes it.
func TestDeviceLogin(t *testing.T) {
	w := newWorld(t, worldOptions{issuer: logintest.Options{DeviceInterval: "1"}})
	w.env["BROWSER"] = "false" // no browser is needed, or opened
	go func() {
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if codes := w.issuer.UserCodes(); len(codes) > 0 {
				w.issuer.Approve(codes[0])
				return
			}
		}
	}()
	code, stdout, stderr := w.login("--ca", w.caFile, "--device-auth", "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var types []string
	for _, e := range jsonEvents(t, stdout) {
		types = append(types, e["type"].(string))
		if e["type"] == "device_code" && (!strings.HasSuffix(e["verification_uri"].(string), "/codex/device") || e["user_code"] == "" || e["expires_at"] == "") {
			t.Fatalf("device_code event %v", e)
		}
	}
	if strings.Join(types, ",") != "device_code,waiting,success" {
		t.Fatalf("events %v", types)
	}
	if !strings.Contains(stderr, w.issuer.UserCodes()[0]) || !strings.Contains(stderr, "/codex/device") {
		t.Fatalf("the code and the page are not shown:\n%s", stderr)
	}
	data, _ := os.ReadFile(w.authPath())
	f, err := codexauth.Parse(data)
	if err != nil || f.OpenAIAPIKey != nil || !strings.HasPrefix(string(data), "{\n  \"auth_mode\": \"chatgpt\",\n  \"OPENAI_API_KEY\": null,") {
		t.Fatalf("not a device login's auth.json (%v):\n%.80s", err, data)
	}
	if p := f.Tokens.OAuthProvenance; p == nil || p.Issuer != w.issuerURL || !strings.HasPrefix(f.Tokens.RefreshToken, "rt_") {
		t.Fatalf("provenance %+v", p)
	}
	w.assertNoSecrets(stdout+stderr, w.issuer.Secrets()...)
}
