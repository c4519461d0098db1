package pac

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func readSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/system/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScutil(t *testing.T) {
	s, ok := scutilSystem(readSample(t, "scutil-pac.txt"))
	want := System{
		PACURL:  "http://wpad.corp.test/proxy.pac",
		Proxy:   "proxy.corp.test:3129",
		NoProxy: ".local,169.254/16,.corp.test",
		Source:  "macOS network settings",
	}
	if !ok || s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if s, ok := scutilSystem(readSample(t, "scutil-none.txt")); ok {
		t.Errorf("no proxy configured, got %+v", s)
	}
	s, ok = scutilSystem("<dictionary> {\n  ProxyAutoDiscoveryEnable : 1\n}\n")
	if !ok || !s.AutoDetect || s.PACURL != "" {
		t.Errorf("auto-discovery: got %+v", s)
	}
}

func TestGnome(t *testing.T) {
	tests := []struct {
		in   gnomeSettings
		want System
		ok   bool
	}{
		{gnomeSettings{Mode: "'auto'", AutoconfigURL: "'http://wpad.corp.test/wpad.dat'", IgnoreHosts: "['localhost', '127.0.0.0/8', '::1', '*.corp.test']"},
			System{PACURL: "http://wpad.corp.test/wpad.dat", NoProxy: "localhost,127.0.0.0/8,::1,.corp.test", Source: "GNOME settings"}, true},
		{gnomeSettings{Mode: "'auto'", AutoconfigURL: "''", IgnoreHosts: "@as []"},
			System{AutoDetect: true, Source: "GNOME settings"}, true},
		{gnomeSettings{Mode: "'manual'", HTTPSHost: "'proxy.corp.test'", HTTPSPort: "3129", IgnoreHosts: "['it\\'s.test']"},
			System{Proxy: "proxy.corp.test:3129", NoProxy: "it's.test", Source: "GNOME settings"}, true},
		{gnomeSettings{Mode: "'manual'", HTTPSHost: "''", HTTPSPort: "0"},
			System{Source: "GNOME settings"}, true},
		{gnomeSettings{Mode: "'none'", AutoconfigURL: "'http://old/wpad.dat'"}, System{}, false},
		{gnomeSettings{}, System{}, false},
	}
	for _, tt := range tests {
		got, ok := gnomeSystem(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%+v: got %+v %v, want %+v", tt.in, got, ok, tt.want)
		}
	}
}

func TestKDE(t *testing.T) {
	text := readSample(t, "kioslaverc")
	s, ok := kdeSystem(text, "~/.config/kioslaverc")
	want := System{PACURL: "http://wpad.corp.test/wpad.dat", Source: "KDE settings (~/.config/kioslaverc)"}
	if !ok || s != want {
		t.Errorf("PAC: got %+v", s)
	}
	s, ok = kdeSystem(strings.Replace(text, "ProxyType=2", "ProxyType=1", 1), "k")
	want = System{Proxy: "http://proxy.corp.test:3129", NoProxy: "localhost,127.0.0.1,.corp.test", Source: "KDE settings (k)"}
	if !ok || s != want {
		t.Errorf("manual: got %+v", s)
	}
	if s, ok = kdeSystem(strings.Replace(text, "ProxyType=2", "ProxyType=3", 1), "k"); !ok || !s.AutoDetect {
		t.Errorf("WPAD: got %+v", s)
	}
	if s, ok = kdeSystem(strings.Replace(text, "ProxyType=2", "ProxyType=0", 1), "k"); ok {
		t.Errorf("none: got %+v", s)
	}
}

func TestWindows(t *testing.T) {
	autodetect := []byte{0x46, 0, 0, 0, 5, 0, 0, 0, 0x09, 0, 0, 0}
	tests := []struct {
		in   winSettings
		want System
		ok   bool
	}{
		{winSettings{AutoConfigURL: "http://wpad.corp.test/proxy.pac", DefaultConnectionSettings: autodetect},
			System{PACURL: "http://wpad.corp.test/proxy.pac", AutoDetect: true}, true},
		{winSettings{ProxyEnable: 1, ProxyServer: "proxy.corp.test:8080", ProxyOverride: "*.corp.test;10.*;<local>"},
			System{Proxy: "proxy.corp.test:8080", NoProxy: ".corp.test"}, true},
		{winSettings{ProxyEnable: 1, ProxyServer: "http=web:80;https=secure:8443;ftp=f:21"},
			System{Proxy: "secure:8443"}, true},
		{winSettings{ProxyEnable: 1, ProxyServer: "http=web:80"}, System{}, false},
		{winSettings{ProxyEnable: 0, ProxyServer: "proxy:8080"}, System{}, false},
		{winSettings{DefaultConnectionSettings: []byte{0x46, 0, 0, 0, 5, 0, 0, 0, 0x01}}, System{}, false},
	}
	for _, tt := range tests {
		got, ok := windowsSystem(tt.in)
		if ok {
			tt.want.Source = "Windows Internet Options"
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("%+v: got %+v %v, want %+v", tt.in, got, ok, tt.want)
		}
	}
}

func TestWPADCandidates(t *testing.T) {
	got := WPADCandidates([]string{"eng.corp.example.com", "corp.example.com.", "local"})
	want := []string{
		"http://wpad/wpad.dat",
		"http://wpad.eng.corp.example.com/wpad.dat",
		"http://wpad.corp.example.com/wpad.dat",
		"http://wpad.example.com/wpad.dat",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestResolvConf(t *testing.T) {
	got := parseResolvConf("# generated\nnameserver 10.0.0.53\ndomain old.test\nsearch eng.corp.test corp.test # comment\noptions ndots:2\n")
	if want := []string{"eng.corp.test", "corp.test"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := parseResolvConf("search a.test\ndomain b.test\n"); !reflect.DeepEqual(got, []string{"b.test"}) {
		t.Errorf("the last line wins: got %q", got)
	}
}
