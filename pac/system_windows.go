package pac

import (
	"context"
	"errors"

	"golang.org/x/sys/windows/registry"
)

const internetSettings = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// SystemSettings reads the current user's Internet Options from the
// registry. No setting is not an error.
func SystemSettings(ctx context.Context, getenv func(string) string) (System, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, internetSettings, registry.QUERY_VALUE)
	if err != nil {
		if errors.Is(err, registry.ErrNotExist) {
			return System{}, nil
		}
		return System{}, err
	}
	defer k.Close()
	var w winSettings
	w.AutoConfigURL, _, _ = k.GetStringValue("AutoConfigURL")
	if v, _, err := k.GetIntegerValue("ProxyEnable"); err == nil {
		w.ProxyEnable = uint32(v)
	}
	w.ProxyServer, _, _ = k.GetStringValue("ProxyServer")
	w.ProxyOverride, _, _ = k.GetStringValue("ProxyOverride")
	if c, err := registry.OpenKey(registry.CURRENT_USER, internetSettings+`\Connections`, registry.QUERY_VALUE); err == nil {
		w.DefaultConnectionSettings, _, _ = c.GetBinaryValue("DefaultConnectionSettings")
		c.Close()
	}
	s, _ := windowsSystem(w)
	return s, nil
}

// SearchDomains is not read on Windows yet: WPAD there is the system's.
func SearchDomains() []string { return nil }
