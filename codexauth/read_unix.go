//go:build unix

package codexauth

import "syscall"

// openNonBlocking makes opening a named pipe return at once.
const openNonBlocking = syscall.O_NONBLOCK
