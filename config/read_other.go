//go:build !unix

package config

import "errors"

// openFlags adds nothing where the OS has no non-blocking open; readRegular
// has already refused anything that is not a regular file.
const openFlags = 0

// errNotDir is the error of a path below a file; Windows reports such a
// path as missing, which absent already covers.
var errNotDir = errors.New("not a directory")
