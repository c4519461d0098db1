package push

import (
	"slices"
	"testing"
)

func TestPushViaSplitsLikeAShell(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"docker exec -i box", []string{"docker", "exec", "-i", "box"}},
		{"  kubectl  exec -i pod --\t", []string{"kubectl", "exec", "-i", "pod", "--"}},
		{`sh -c 'tr r R | "$@"' corrupt`, []string{"sh", "-c", `tr r R | "$@"`, "corrupt"}},
		{`env "HOME=/tmp/a b" X=\'q`, []string{"env", "HOME=/tmp/a b", "X='q"}},
		{`a "say \"hi\" \\ \x" ''`, []string{"a", `say "hi" \ \x`, ""}},
		{`podman exec -i name#1 a~b`, []string{"podman", "exec", "-i", "name#1", "a~b"}},
	}
	for _, c := range cases {
		tr, err := Via(c.in)
		if err != nil || !slices.Equal(tr.Argv, c.want) || tr.Joined {
			t.Errorf("Via(%q) = %q, %v; want %q", c.in, tr.Argv, err, c.want)
		}
	}
}

func TestPushViaRefusesWhatNeedsAShell(t *testing.T) {
	for _, in := range []string{
		"", "   ", "docker exec -i box | tee x", "a; b", "a && b", "a > f", "cat $HOME", "a `b`",
		`a "$HOME"`, "ls *", "'open", `"open`, `a\`, "a #comment", "~/bin/x",
	} {
		if tr, err := Via(in); err == nil {
			t.Errorf("Via(%q) = %q, want an error", in, tr.Argv)
		}
	}
}

func TestPushSSHCommandLine(t *testing.T) {
	tr, err := SSH("dev@build.corp", 2222, []string{"StrictHostKeyChecking=yes", "IdentityFile=/k/id"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ssh", "-T", "-p", "2222", "-o", "StrictHostKeyChecking=yes", "-o", "IdentityFile=/k/id", "--", "dev@build.corp"}
	if !slices.Equal(tr.Argv, want) || !tr.Joined {
		t.Fatalf("argv %q, want %q", tr.Argv, want)
	}
	if s := tr.String(); s != "ssh -T -p 2222 -o StrictHostKeyChecking=yes -o IdentityFile=/k/id dev@build.corp" {
		t.Errorf("String() = %q", s)
	}
	plain, _ := SSH("host", 0, nil)
	if !slices.Equal(plain.Argv, []string{"ssh", "-T", "--", "host"}) {
		t.Errorf("argv %q", plain.Argv)
	}
	for _, bad := range []string{"", "-oProxyCommand=x", "a b", "a\nb"} {
		if _, err := SSH(bad, 0, nil); err == nil {
			t.Errorf("SSH(%q) accepted", bad)
		}
	}
}

// Over ssh the remote words travel as one line for the login shell there:
// each is quoted so that it arrives as it was, quotes and all.
func TestPushJoinedWordsAreQuotedOnce(t *testing.T) {
	tr := Transport{Argv: []string{"ssh", "--", "h"}, Joined: true}
	argv := tr.command([]string{"sh", "-c", `echo 'it''s' "$1"`, "n", "/a b/it's"})
	if len(argv) != 4 {
		t.Fatalf("argv %q: want the remote command as one word", argv)
	}
	want := `'sh' '-c' 'echo '\''it'\'''\''s'\'' "$1"' 'n' '/a b/it'\''s'`
	if argv[3] != want {
		t.Errorf("remote line\n%s\nwant\n%s", argv[3], want)
	}
	if s := (Transport{Argv: []string{"docker", "exec", "-i", "a b"}}).String(); s != "docker exec -i 'a b'" {
		t.Errorf("String() = %q: a word with a blank is quoted", s)
	}
}
