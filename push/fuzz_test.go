package push

import (
	"slices"
	"testing"
)

// What the target prints is read as data from outside: any output gives a
// result or an error, never a panic, and a result always checks out.
func FuzzPushParseAnswer(f *testing.F) {
	f.Add("codex-login-push: home /h/.codex\ncodex-login-push: file -rw------- 1 u u 9 Jan 1 00:00 /h/.codex/auth.json\ncodex-login-push: sum abc\ncodex-login-push: done\n", "abc")
	f.Add("codex-login-push: dir drwxrwxrwx 2 u u\ncodex-login-push: error dirmode /h\n", "")
	f.Add("codex-login-push: store keyring\ncodex-login-push: error store /etc/codex/config.toml\r\n", "")
	f.Add("codex-login-push: file\ncodex-login-push: error filemode\ncodex-login-push: got", "x")
	f.Fuzz(func(t *testing.T, out, want string) {
		a := parseAnswer([]byte(out))
		if step, ok := a["error"]; ok {
			if err := a.failure(step, want, out); err == nil || err.Error() == "" {
				t.Fatalf("failure %q gave no error", step)
			}
		}
		if r, err := a.result(want); err == nil && (r.SHA256 != want || r.FileMode != "-rw-------") {
			t.Fatalf("result %+v accepted for %q", r, want)
		}
	})
}

// A --via command is typed by a person: splitting never panics, and the
// words, quoted back as String() shows them, split into the same words.
func FuzzPushVia(f *testing.F) {
	for _, s := range []string{"docker exec -i box", `sh -c 'tr r R | "$@"' x`, `a "b \" c" d\ e`, `kubectl exec -i 'p o d' --`, "'", `"$x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := Via(s)
		if err != nil {
			return
		}
		again, err := Via(tr.String())
		if err != nil || !slices.Equal(again.Argv, tr.Argv) {
			t.Fatalf("%q split into %q, shown as %q, which splits into %q (%v)", s, tr.Argv, tr.String(), again.Argv, err)
		}
	})
}
