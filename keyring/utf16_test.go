package keyring

import (
	"bytes"
	"strings"
	"testing"
)

func TestUTF16RoundTrip(t *testing.T) {
	for _, s := range []string{
		"",
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH", // a 44-character passphrase
		"café ✓",
		"\U0001F600 \U00010348 outside the BMP",
		"\x00 NUL inside",
	} {
		b, err := utf16LEFromUTF8([]byte(s))
		if err != nil {
			t.Fatalf("utf16LEFromUTF8(%q): %v", s, err)
		}
		back, err := utf8FromUTF16LE(b)
		if err != nil || string(back) != s {
			t.Errorf("round trip of %q = %q, %v", s, back, err)
		}
	}
}

func TestUTF16Layout(t *testing.T) {
	// "A", then U+1F600 as the surrogate pair D83D DE00, little-endian, no
	// terminating NUL.
	b, err := utf16LEFromUTF8([]byte("A\U0001F600"))
	want := []byte{0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde}
	if err != nil || !bytes.Equal(b, want) {
		t.Errorf("utf16LEFromUTF8 = % x, %v; want % x", b, err, want)
	}
	if b, _ := utf16LEFromUTF8([]byte(strings.Repeat("x", 44))); len(b) != 88 {
		t.Errorf("a 44-character passphrase takes %d bytes, want 88", len(b))
	}
}

func TestUTF16Refusals(t *testing.T) {
	for name, b := range map[string][]byte{
		"odd length":            {0x41, 0x00, 0x42},
		"lone high surrogate":   {0x3d, 0xd8, 0x41, 0x00},
		"high surrogate at end": {0x41, 0x00, 0x3d, 0xd8},
		"lone low surrogate":    {0x00, 0xde},
	} {
		if got, err := utf8FromUTF16LE(b); err == nil {
			t.Errorf("%s: utf8FromUTF16LE = %q, want an error", name, got)
		}
	}
	if _, err := utf16LEFromUTF8([]byte{0xff, 0xfe}); err == nil {
		t.Error("utf16LEFromUTF8 accepted bytes that are not UTF-8")
	}
}
