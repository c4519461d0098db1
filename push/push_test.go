package push

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// local runs the script on this machine through a transport built from
// words before "sh -c SCRIPT ...", with a HOME of the target's own.
func (tg *target) push(ctx context.Context, tr Transport, timeout time.Duration) (*Result, error) {
	tr.Argv = append([]string{"env", "-u", "CODEX_HOME", "HOME=" + tg.home}, tr.Argv...)
	return Run(ctx, Options{Transport: tr, SystemDir: tg.systemDir, Timeout: timeout}, authJSON)
}

func TestPushRunThroughACommand(t *testing.T) {
	tg := newTarget(t)
	r, err := tg.push(context.Background(), Transport{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(tg.codexHome(), "auth.json")
	if r.Path != want || r.FileMode != "-rw-------" || r.DirMode != "drwx------" || r.User == "" || r.Owner != r.User || len(r.SHA256) != 64 {
		t.Errorf("result %+v", r)
	}
	if got, _ := os.ReadFile(want); string(got) != string(authJSON) {
		t.Errorf("auth.json on the target:\n%s", got)
	}
	tg.checkModes(tg.codexHome())
}

// Over ssh, sshd hands the remote command line to the user's shell as
// "$SHELL -c LINE": "sh -c" stands for both here. A CODEX_HOME with blanks
// and quotes arrives intact.
func TestPushRunThroughAShellLine(t *testing.T) {
	tg := newTarget(t)
	home := filepath.Join(tg.home, `it's "here" $HOME`)
	tr := Transport{Argv: []string{"env", "HOME=" + tg.home, "sh", "-c"}, Joined: true}
	r, err := Run(context.Background(), Options{Transport: tr, CodexHome: home, SystemDir: tg.systemDir}, authJSON)
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != filepath.Join(home, "auth.json") {
		t.Errorf("path %q", r.Path)
	}
	tg.checkModes(home)
}

func TestPushRunRefusesWhatTheTransportChanged(t *testing.T) {
	tg := newTarget(t)
	tg.write(filepath.Join(tg.codexHome(), "auth.json"), `{"old":true}`)
	tr, err := Via(`sh -c 'tr r R | "$@"' corrupt`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tg.push(context.Background(), tr, 0)
	var mm *MismatchError
	if !errors.As(err, &mm) || len(mm.Got) != 64 || mm.Got == mm.Want {
		t.Fatalf("error %v, want a checksum mismatch", err)
	}
	if got, _ := os.ReadFile(filepath.Join(tg.codexHome(), "auth.json")); string(got) != `{"old":true}` {
		t.Errorf("the old auth.json changed: %s", got)
	}
	tg.checkNoTemp(tg.codexHome())
}

func TestPushRunReportsATransportThatFails(t *testing.T) {
	cases := []struct {
		name, via string
		check     func(*TransportError) bool
	}{
		{"not installed", "codex-login-no-such-command -i box", func(e *TransportError) bool { return e.NotFound }},
		{"connection lost", `sh -c 'head -c 10 >/dev/null; echo "Connection to host closed by remote host." >&2; exit 255' ssh`,
			func(e *TransportError) bool {
				return e.Exit == 255 && strings.HasSuffix(e.Error(), "Connection to host closed by remote host.")
			}},
		{"ran something else", `sh -c 'cat >/dev/null' other`, func(e *TransportError) bool { return e.Exit == 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := newTarget(t)
			tr, err := Via(c.via)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "not installed" {
				_, err = Run(context.Background(), Options{Transport: tr, CodexHome: tg.codexHome()}, authJSON)
			} else {
				_, err = tg.push(context.Background(), tr, 0)
			}
			var te *TransportError
			if !errors.As(err, &te) || !c.check(te) {
				t.Fatalf("error %#v (%v)", err, err)
			}
			if _, err := os.Stat(tg.codexHome()); err == nil {
				t.Errorf("CODEX_HOME was created")
			}
		})
	}
}

func TestPushRunStopsAtTheTimeout(t *testing.T) {
	tg := newTarget(t)
	tr, _ := Via("sh -c 'exec sleep 30' hang")
	start := time.Now()
	_, err := tg.push(context.Background(), tr, 300*time.Millisecond)
	var te *TimeoutError
	if !errors.As(err, &te) || te.After != 300*time.Millisecond {
		t.Fatalf("error %v, want a timeout", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tg.push(ctx, tr, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled push: %v", err)
	}
}

// What the target says is read through a limit, however much it says.
func TestPushRunBoundsTheTargetsOutput(t *testing.T) {
	tg := newTarget(t)
	tr, _ := Via(`sh -c 'head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2; exit 1' noisy`)
	_, err := tg.push(context.Background(), tr, 0)
	var te *TransportError
	if !errors.As(err, &te) || len(te.Stderr) > maxOutput {
		t.Fatalf("error %T with %d bytes of stderr", err, len(te.Stderr))
	}
}
