package codexauth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func newAuto(t *testing.T, kr *fakeKeyring, fellBack *[]error) (*AutoStore, string) {
	t.Helper()
	home := t.TempDir()
	s, err := NewStore(home, "auto", kr, nil, func(err error) { *fellBack = append(*fellBack, err) })
	if err != nil {
		t.Fatal(err)
	}
	return s.(*AutoStore), home
}

func TestAutoUsesTheKeyringWhenItAnswers(t *testing.T) {
	ctx := context.Background()
	var fell []error
	kr := newFakeKeyring()
	s, home := newAuto(t, kr, &fell)
	if err := s.Save(ctx, sampleFile(t, "RT")); err != nil {
		t.Fatal(err)
	}
	if kr.get(KeyringService, KeyringAccount(home)) == nil || len(fell) != 0 {
		t.Fatalf("Save did not go to the keyring (fell back %v)", fell)
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); !os.IsNotExist(err) {
		t.Fatal("auth.json was written")
	}
}

func TestAutoFallsBackToTheFileWithAReason(t *testing.T) {
	ctx := context.Background()
	var fell []error
	kr := newFakeKeyring()
	kr.probeErr = errNoKeyring
	s, home := newAuto(t, kr, &fell)
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, sampleFile(t, "RT")); err != nil {
		t.Fatal(err)
	}
	if len(fell) != 1 || !errors.Is(fell[0], errNoKeyring) {
		t.Fatalf("fell back %v, want once with the probe's reason", fell)
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); err != nil {
		t.Fatal("auth.json was not written")
	}
	if s.Location() != filepath.Join(home, "auth.json") {
		t.Fatalf("location %q", s.Location())
	}
}

func TestAutoSaveFallsBackWhenTheKeyringFails(t *testing.T) {
	var fell []error
	kr := newFakeKeyring()
	kr.setErr = errors.New("the item cannot be created")
	s, home := newAuto(t, kr, &fell)
	if err := s.Save(context.Background(), sampleFile(t, "RT")); err != nil {
		t.Fatal(err)
	}
	if len(fell) != 1 {
		t.Fatalf("fell back %d times, want 1", len(fell))
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); err != nil {
		t.Fatal("auth.json was not written")
	}
}

func TestAutoReadsTheFileWhenTheKeyringIsEmptyAndRefreshMovesIt(t *testing.T) {
	ctx := context.Background()
	var fell []error
	kr := newFakeKeyring()
	s, home := newAuto(t, kr, &fell)
	(&FileStore{Home: home}).Save(ctx, sampleFile(t, "FILE-RT"))
	a, err := s.Load(ctx)
	if err != nil || a == nil || a.Tokens.RefreshToken != "FILE-RT" {
		t.Fatalf("Load = %+v, %v; want auth.json's credentials", a, err)
	}
	err = s.Update(ctx, func(cur *AuthFile) (*AuthFile, error) {
		if cur == nil || cur.Tokens.RefreshToken != "FILE-RT" {
			t.Fatalf("Update passed %+v", cur)
		}
		cur.Tokens.RefreshToken = "NEW-RT"
		return cur, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := (&KeyringStore{Home: home, Keyring: kr}).Load(ctx); a == nil || a.Tokens.RefreshToken != "NEW-RT" {
		t.Fatal("the refreshed credentials are not in the keyring")
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); !os.IsNotExist(err) {
		t.Fatal("auth.json stayed after the credentials moved to the keyring")
	}
	if removed, err := s.Delete(ctx); !removed || err != nil || kr.len() != 0 {
		t.Fatalf("Delete = %v, %v, %d entries left", removed, err, kr.len())
	}
}
