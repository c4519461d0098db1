//go:build unix

package login

import (
	"errors"

	"golang.org/x/sys/unix"
)

func isAddrInUse(err error) bool { return errors.Is(err, unix.EADDRINUSE) }
