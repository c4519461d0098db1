//go:build unix

package main

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// fileWarnings are what is wrong with auth.json as a file: others may read
// it, or it belongs to another user (often root, after a sudo codex).
func fileWarnings(path string) []string {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	var warnings []string
	if perm := info.Mode().Perm(); perm != 0o600 {
		warnings = append(warnings, fmt.Sprintf("%s has mode %04o, not 0600 as Codex writes it: others on this machine may read the tokens; run: chmod 600 %s", path, perm, path))
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		owner := "uid " + strconv.FormatUint(uint64(st.Uid), 10)
		if u, err := user.LookupId(strconv.FormatUint(uint64(st.Uid), 10)); err == nil && u.Username != "" {
			owner = u.Username
		}
		warnings = append(warnings, fmt.Sprintf("%s belongs to %s, not to you: Codex cannot replace it when it refreshes the tokens; sign in again as yourself, or change its owner", path, owner))
	}
	return warnings
}
