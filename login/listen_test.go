package login

import (
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
)

func TestCheckPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	err = CheckPort(port)
	var busy *PortBusyError
	if !errors.As(err, &busy) || busy.Ports[0] != port {
		t.Fatalf("CheckPort of a held port = %v, want a *PortBusyError", err)
	}
	if runtime.GOOS == "linux" && !strings.Contains(busy.Holder, "pid") {
		t.Errorf("holder %q does not name this process", busy.Holder)
	}
	ln.Close()
	if err := CheckPort(port); err != nil {
		t.Fatalf("CheckPort of a free port = %v", err)
	}
}
