package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// event writes one --json event: a JSON object on its own line on stdout,
// with its type and time, through the run's redactor. Without --json it
// writes nothing. Human text goes to stderr either way.
func (u *ui) event(typ string, fields map[string]any) {
	if !u.json {
		return
	}
	e := map[string]any{"type": typ, "time": time.Now().UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		e[k] = v
	}
	data, err := json.Marshal(e)
	if err != nil {
		return
	}
	line := u.redact.apply(string(data))
	u.mu.Lock() // the web page reports from several goroutines
	defer u.mu.Unlock()
	fmt.Fprintln(u.stdout, line)
}
