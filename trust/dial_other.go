//go:build !linux

package trust

import "syscall"

// control does nothing where TCP_USER_TIMEOUT does not exist; the TCP
// keep-alive settings still find a dead connection.
func control(string, string, syscall.RawConn) error { return nil }
