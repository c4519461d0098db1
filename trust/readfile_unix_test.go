//go:build unix

package trust

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"
)

// addSpecialFiles adds a FIFO that nobody writes to (opening it for
// reading would block), a device that never ends and a socket.
func addSpecialFiles(t *testing.T, files map[string]string) {
	dir := t.TempDir()
	addSpecialEntries(t, dir)
	files[filepath.Join(dir, "ca.fifo")] = "is a FIFO (named pipe), not a certificate file"
	files[filepath.Join(dir, "ca.sock")] = "is a socket, not a certificate file"
	files["/dev/zero"] = "is a device, not a certificate file"
}

// addSpecialEntries makes dir/ca.fifo and dir/ca.sock.
func addSpecialEntries(t *testing.T, dir string) {
	if err := syscall.Mkfifo(filepath.Join(dir, "ca.fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "ca.sock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
}

// TestFIFOAsCADirectory: a FIFO given as a CA directory does not block.
func TestFIFOAsCADirectory(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "certs")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewPool(false, []Location{{Path: fifo, Source: "SSL_CERT_DIR", Dir: true}})
	if err == nil || err.Error() != "read CA directory "+fifo+" (from SSL_CERT_DIR): is a FIFO (named pipe), not a directory" {
		t.Errorf("err = %v", err)
	}
}
