package login

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// portHolder names the process listening on the loopback port, as
// "pid 1234 (codex)", when /proc lets us see it.
func portHolder(port int) string {
	inodes := listeningInodes(port)
	if len(inodes) == 0 {
		return ""
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		link, err := os.Readlink(fd)
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		if !inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
			continue
		}
		pidDir := filepath.Dir(filepath.Dir(fd))
		comm, _ := os.ReadFile(filepath.Join(pidDir, "comm"))
		return fmt.Sprintf("pid %s (%s)", filepath.Base(pidDir), strings.TrimSpace(string(comm)))
	}
	return ""
}

// listeningInodes returns the socket inodes listening on port in /proc/net/tcp{,6}.
func listeningInodes(port int) map[string]bool {
	want := strings.ToUpper(strconv.FormatInt(int64(port), 16))
	for len(want) < 4 {
		want = "0" + want
	}
	found := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			// sl local_address rem_address st ... inode is field 9; st 0A is LISTEN.
			if len(fields) < 10 || fields[3] != "0A" {
				continue
			}
			if strings.HasSuffix(fields[1], ":"+want) {
				found[fields[9]] = true
			}
		}
		f.Close()
	}
	return found
}
