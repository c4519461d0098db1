package agefile

import (
	"bytes"
	"testing"
)

func TestSealOpen(t *testing.T) {
	sealed, err := Seal([]byte(`{"version":1}`), "pass", 10)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(sealed, []byte("age-encryption.org/v1\n")) {
		t.Fatalf("not an age file: %q", sealed[:20])
	}
	plain, err := Open(sealed, "pass", 1<<20)
	if err != nil || string(plain) != `{"version":1}` {
		t.Fatalf("Open = %q, %v", plain, err)
	}
	if _, err := Open(sealed, "wrong", 1<<20); err == nil {
		t.Fatal("opened with the wrong passphrase")
	}
	if plain, err := Open(sealed, "pass", 4); err != nil || string(plain) != `{"ve` {
		t.Fatalf("Open bounded = %q, %v", plain, err)
	}
}
