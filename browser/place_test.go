package browser

import (
	"os"
	"runtime"
	"testing"
	"testing/fstest"
)

func TestDetect(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("containers, WSL and displays are detected on Linux")
	}
	host, _ := os.Hostname()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name  string
		env   map[string]string
		files fstest.MapFS
		want  Place
	}{
		{"desktop", map[string]string{"DISPLAY": ":0", "USER": "dev"}, nil,
			Place{Display: true, User: "dev"}},
		{"wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil,
			Place{Display: true}},
		{"ssh session", map[string]string{"SSH_CONNECTION": "192.0.2.7 50022 192.0.2.1 22", "USER": "dev"}, nil,
			Place{SSH: true, SSHServer: "192.0.2.1", User: "dev"}},
		{"ssh with a tty only", map[string]string{"SSH_TTY": "/dev/pts/3"}, nil,
			Place{SSH: true}},
		{"ssh with X forwarding", map[string]string{"SSH_CONNECTION": "a b c d", "DISPLAY": "localhost:10.0"}, nil,
			Place{SSH: true, SSHServer: "c", Display: true}},
		{"docker", nil, fstest.MapFS{".dockerenv": file("")},
			Place{Container: "docker"}},
		{"podman", nil, fstest.MapFS{"run/.containerenv": file("engine=\"podman\"")},
			Place{Container: "podman"}},
		{"kubernetes by variable", map[string]string{"KUBERNETES_SERVICE_HOST": "10.96.0.1"}, nil,
			Place{Container: "kubernetes"}},
		{"kubernetes by cgroup", nil, fstest.MapFS{"proc/1/cgroup": file("0::/kubepods/besteffort/pod1/abc\n")},
			Place{Container: "kubernetes"}},
		{"nspawn", map[string]string{"container": "systemd-nspawn"}, nil,
			Place{Container: "systemd-nspawn"}},
		{"plain cgroup v2 host", nil, fstest.MapFS{"proc/1/cgroup": file("0::/init.scope\n")},
			Place{}},
		{"wsl by variable", map[string]string{"WSL_DISTRO_NAME": "Ubuntu", "USERNAME": "dev"}, nil,
			Place{WSL: true, User: "dev"}},
		{"wsl by kernel", nil, fstest.MapFS{"proc/sys/kernel/osrelease": file("5.15.153.1-microsoft-standard-WSL2\n")},
			Place{WSL: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := tt.files
			if files == nil {
				files = fstest.MapFS{}
			}
			got := Detect(func(k string) string { return tt.env[k] }, files)
			tt.want.Host = host
			if got != tt.want {
				t.Errorf("Detect = %+v\nwant     %+v", got, tt.want)
			}
		})
	}
}

func TestSSHTarget(t *testing.T) {
	tests := []struct {
		p    Place
		want string
	}{
		{Place{User: "dev", Host: "build-7"}, "dev@build-7"},
		{Place{Host: "build-7"}, "build-7"},
		{Place{User: "dev", SSHServer: "192.0.2.1"}, "dev@192.0.2.1"},
		{Place{}, "THIS-HOST"},
	}
	for _, tt := range tests {
		if got := tt.p.SSHTarget(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
	if !(Place{SSH: true}).Remote() || !(Place{Container: "docker"}).Remote() || (Place{WSL: true}).Remote() {
		t.Error("Remote: SSH and containers are remote, WSL shares the Windows browser")
	}
}
