package login

import (
	"errors"
	"net/url"
	"testing"
)

// The checks of a redirect back from the issuer, in their order: the state
// first (so nothing of another login is believed), then an error, then
// the code.
func TestCheckRedirect(t *testing.T) {
	tests := []struct {
		query    string
		code     string
		want     any
		missing  bool
		noEntitl bool
	}{
		{query: "code=C1&state=" + testState, code: "C1"},
		{query: "state=" + testState + "&code=C2&scope=openid", code: "C2"},
		{query: "code=C&state=other", want: &StateError{}},
		{query: "code=C", want: &StateError{}, missing: true},
		{query: "error=access_denied&state=other", want: &StateError{}},
		{query: "error=access_denied&error_description=missing_codex_entitlement&state=" + testState, want: &DeniedError{}, noEntitl: true},
		{query: "error=server_error&code=C&state=" + testState, want: &DeniedError{}},
		{query: "state=" + testState, want: &CallbackError{}},
		{query: "code=&state=" + testState, want: &CallbackError{}},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		code, err := checkRedirect(q, testState)
		switch want := tt.want.(type) {
		case nil:
			if err != nil || code != tt.code {
				t.Errorf("%s: %q, %v; want %q", tt.query, code, err, tt.code)
			}
		case *StateError:
			var se *StateError
			if !errors.As(err, &se) || se.Missing != tt.missing || code != "" {
				t.Errorf("%s: %q, %v; want a StateError (missing %v)", tt.query, code, err, tt.missing)
			}
		case *DeniedError:
			var de *DeniedError
			if !errors.As(err, &de) || de.NoEntitlement() != tt.noEntitl || code != "" {
				t.Errorf("%s: %q, %v; want a DeniedError", tt.query, code, err)
			}
		case *CallbackError:
			var ce *CallbackError
			if !errors.As(err, &ce) || code != "" {
				t.Errorf("%s: %q, %v; want a CallbackError (%T)", tt.query, code, err, want)
			}
		}
	}
}
