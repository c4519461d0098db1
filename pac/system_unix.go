//go:build unix

package pac

import "os"

// SearchDomains reads the resolver's search domains from /etc/resolv.conf.
func SearchDomains() []string {
	b, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		return nil
	}
	return parseResolvConf(string(b))
}
