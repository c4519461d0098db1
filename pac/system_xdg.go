//go:build unix && !darwin

package pac

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SystemSettings reads GNOME's proxy settings through gsettings, then
// KDE's kioslaverc. No setting is not an error: System is then empty.
func SystemSettings(ctx context.Context, getenv func(string) string) (System, error) {
	if s, ok := gnomeFromGsettings(ctx, getenv); ok {
		return s, nil
	}
	cfg := getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		home := getenv("HOME")
		if home == "" {
			return System{}, nil
		}
		cfg = filepath.Join(home, ".config")
	}
	path := filepath.Join(cfg, "kioslaverc")
	b, err := readLimitedFile(path)
	if err != nil {
		return System{}, nil
	}
	if s, ok := kdeSystem(string(b), path); ok {
		return s, nil
	}
	return System{}, nil
}

func readLimitedFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f)
}

// gnomeFromGsettings asks gsettings when it exists and the desktop is
// GNOME-like, or when GNOME's mode is set anyway.
func gnomeFromGsettings(ctx context.Context, getenv func(string) string) (System, bool) {
	if _, err := exec.LookPath("gsettings"); err != nil {
		return System{}, false
	}
	get := func(schema, key string) string {
		out, err := output(ctx, "gsettings", "get", schema, key)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(out)
	}
	mode := get("org.gnome.system.proxy", "mode")
	desktop := strings.ToLower(getenv("XDG_CURRENT_DESKTOP") + ":" + getenv("DESKTOP_SESSION"))
	gnomeLike := strings.Contains(desktop, "gnome") || strings.Contains(desktop, "unity") ||
		strings.Contains(desktop, "cinnamon") || strings.Contains(desktop, "mate") || strings.Contains(desktop, "budgie")
	if !gnomeLike && (mode == "" || gvariantString(mode) == "none") {
		return System{}, false
	}
	return gnomeSystem(gnomeSettings{
		Mode:          mode,
		AutoconfigURL: get("org.gnome.system.proxy", "autoconfig-url"),
		IgnoreHosts:   get("org.gnome.system.proxy", "ignore-hosts"),
		HTTPSHost:     get("org.gnome.system.proxy.https", "host"),
		HTTPSPort:     get("org.gnome.system.proxy.https", "port"),
	})
}
