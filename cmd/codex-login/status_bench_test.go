package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/codexauth"
)

// BenchmarkStatus is `codex-login status` in-process on a signed-in
// CODEX_HOME: settings, the store, auth.json, claims and the report. It
// reads no network. Target: under 10 ms (Codex's own takes about 22 ms).
func BenchmarkStatus(b *testing.B) {
	exp := time.Now().Add(240 * time.Hour).Unix()
	id := unsignedJWT(map[string]any{"email": "dev@corp.test", "exp": exp,
		"https://api.openai.com/auth": map[string]any{"chatgpt_account_id": "acct-corp-test", "chatgpt_plan_type": "plus"}})
	f, err := codexauth.NewChatGPT(codexauth.TokenSet{IDToken: id, AccessToken: unsignedJWT(map[string]any{"exp": exp}), RefreshToken: "rt_bench"},
		nil, codexauth.Provenance{Issuer: "https://auth.openai.com", ClientID: "app_EMoamEEZ73f0CkXaXp7hrann"}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	golden, err := f.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	home := filepath.Join(dir, "codex")
	if err := os.MkdirAll(home, 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "auth.json"), golden, 0o600); err != nil {
		b.Fatal(err)
	}
	envs := map[string]string{"HOME": dir, "CODEX_HOME": home}
	e := env{getenv: func(k string) string { return envs[k] }, stdout: io.Discard, stderr: io.Discard,
		systemFile: filepath.Join(dir, "none.toml"), codexSystemDir: filepath.Join(dir, "etc-codex"), root: fstest.MapFS{}}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), []string{"status"}, e); code != 0 {
			b.Fatalf("status exit %d", code)
		}
	}
}
