//go:build unix

package config

import "syscall"

// openFlags makes opening a named pipe return at once instead of waiting
// for a writer.
const openFlags = syscall.O_NONBLOCK

// errNotDir is the error of a path below a file.
var errNotDir error = syscall.ENOTDIR
