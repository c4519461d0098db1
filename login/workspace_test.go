package login

import (
	"errors"
	"testing"
)

func TestCheckWorkspace(t *testing.T) {
	if err := checkWorkspace("acct-1", nil); err != nil {
		t.Fatalf("no forced workspace: %v", err)
	}
	if err := checkWorkspace("acct-1", []string{"acct-0", "acct-1"}); err != nil {
		t.Fatalf("allowed account refused: %v", err)
	}
	err := checkWorkspace("acct-2", []string{"acct-0", "acct-1"})
	var we *WorkspaceError
	if !errors.As(err, &we) || err.Error() != `you signed in to workspace "acct-2", but forced_chatgpt_workspace_id allows only "acct-0", "acct-1"` {
		t.Fatalf("err = %v", err)
	}
	if err := checkWorkspace("", []string{"acct-0"}); err == nil {
		t.Fatal("an id_token without an account passed a forced workspace")
	}
}
