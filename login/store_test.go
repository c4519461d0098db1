package login

import (
	"os"
	"testing"
	"time"
)

func sampleFile(t *testing.T, refresh string) *AuthFile {
	t.Helper()
	f, err := newAuthFile(tokenSet{IDToken: goldenIDToken(t), AccessToken: "AT", RefreshToken: refresh}, nil,
		Provenance{Issuer: "https://auth.corp.test", ClientID: "c"}, "O", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestStoreLoadMissingAndBroken(t *testing.T) {
	s := Store{Home: t.TempDir()}
	if f, err := s.Load(); f != nil || err != nil {
		t.Fatalf("Load of a missing file = %v, %v; want nil, nil", f, err)
	}
	os.WriteFile(s.Path(), []byte("{broken"), 0o600)
	if _, err := s.Load(); err == nil {
		t.Fatal("a broken auth.json loaded without error")
	}
}
