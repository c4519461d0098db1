package trust

import (
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// control sets TCP_USER_TIMEOUT on every TCP socket, so that a connection
// whose data goes unacknowledged (the peer or a middlebox vanished) fails
// after userTimeout instead of the kernel's many minutes of
// retransmissions. It is best effort: a kernel that refuses the option
// still gets the connection.
func control(network, _ string, rc syscall.RawConn) error {
	if !strings.HasPrefix(network, "tcp") {
		return nil
	}
	return rc.Control(func(fd uintptr) {
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, int(userTimeout.Milliseconds()))
	})
}
