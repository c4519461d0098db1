//go:build !unix

package config

// openFlags adds nothing where the OS has no non-blocking open; readRegular
// has already refused anything that is not a regular file.
const openFlags = 0
