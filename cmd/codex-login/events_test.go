package main

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// jsonEvents parses --json output: one object per line, each with a type
// and a time.
func jsonEvents(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("stdout line is not a JSON object: %v\n%s", err, line)
		}
		if _, err := time.Parse(time.RFC3339Nano, e["time"].(string)); err != nil || e["type"] == "" {
			t.Fatalf("event without type or time: %v", e)
		}
		events = append(events, e)
	}
	return events
}

// shape is an event with its time and the values that change from run to
// run replaced, so it can be compared with a golden line.
func shape(e map[string]any) string {
	e["time"] = "T"
	data, _ := json.Marshal(e)
	s := regexp.MustCompile(`https://[^"]*/oauth/authorize\?[^"]*`).ReplaceAllString(string(data), "AUTHORIZE_URL")
	s = regexp.MustCompile(`"port":\d+`).ReplaceAllString(s, `"port":PORT`)
	return regexp.MustCompile(`"path":"[^"]*"`).ReplaceAllString(s, `"path":"PATH"`)
}

// --json: a browser login is authorize_url, waiting, success, in that
// order, one object a line on stdout; human text stays on stderr.
func TestJSONEventsOfABrowserLogin(t *testing.T) {
	w := newWorld(t, worldOptions{})
	code, stdout, stderr := w.login("--ca", w.caFile, "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var got []string
	for _, e := range jsonEvents(t, stdout) {
		got = append(got, shape(e))
	}
	want := []string{
		`{"port":PORT,"time":"T","type":"authorize_url","url":"AUTHORIZE_URL"}`,
		`{"time":"T","type":"waiting"}`,
		`{"account_id":"acct-corp-test","email":"dev@corp.test","path":"PATH","plan":"plus","store":"file","time":"T","type":"success"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(stderr, "Signed in to Codex") {
		t.Fatalf("no human text on stderr:\n%s", stderr)
	}
}

// --json failure: an error event with the exit code, the message and the
// hint, and a warning event for each warning.
func TestJSONEventsOfAFailure(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.env["SSL_CERT_FILE"] = "/nonexistent/bundle.pem"
	code, stdout, _ := w.login("--json")
	events := jsonEvents(t, stdout)
	var types []string
	for _, e := range events {
		types = append(types, e["type"].(string))
	}
	last := events[len(events)-1]
	if code != exitFailure || strings.Join(types, ",") != "warning,error" || last["code"] != float64(exitFailure) ||
		!strings.Contains(last["message"].(string), "Corp Inspection CA") || !strings.Contains(last["hint"].(string), "--ca") {
		t.Fatalf("exit %d, events %v", code, events)
	}
}

// --json reads pasted addresses from stdin: a wrapper whose user's browser
// is elsewhere forwards the address it failed to load.
func TestJSONPasteOnStdin(t *testing.T) {
	w := newWorld(t, worldOptions{})
	pr, pw := io.Pipe()
	defer pw.Close()
	w.stdin = pr
	w.browser.Paste = true // the browser leaves the address it is sent back to for pasting
	w.env["BROWSER"] = w.browserCommand()
	go func() {
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if addr := w.pastedAddress(); addr != "" {
				io.WriteString(pw, "  "+addr+"\n")
				return
			}
		}
	}()
	code, stdout, stderr := w.login("--ca", w.caFile, "--json", "--paste")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if events := jsonEvents(t, stdout); events[len(events)-1]["type"] != "success" {
		t.Fatalf("events %v", events)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
}
