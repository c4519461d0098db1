//go:build !unix

package codexauth

const openNonBlocking = 0
