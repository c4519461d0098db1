package browser

import (
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// Place is where this process runs, as far as it can be seen from inside.
type Place struct {
	SSH       bool   // an SSH session: SSH_CONNECTION or SSH_TTY is set
	SSHServer string // this machine's address as the SSH client reached it, from SSH_CONNECTION
	Container string // "docker", "podman", "kubernetes", "lxc", another runtime's name, or ""
	WSL       bool   // Windows Subsystem for Linux
	Display   bool   // a graphical display is there to open a browser on (always true off Linux)
	User      string // $USER (or $USERNAME)
	Host      string // the host name
}

// Remote reports whether the browser is probably on another machine than
// this process: over SSH, or in a container.
func (p Place) Remote() bool { return p.SSH || p.Container != "" }

// SSHTarget is user@host for an ssh command that reaches this machine, as
// well as it can be known: the host name, else the address the SSH client
// used.
func (p Place) SSHTarget() string {
	host := p.Host
	if host == "" {
		host = p.SSHServer
	}
	if host == "" {
		host = "THIS-HOST"
	}
	if p.User == "" {
		return host
	}
	return p.User + "@" + host
}

// Detect looks at the environment and at the root file system (os.DirFS("/")
// in production) to find where this process runs.
func Detect(getenv func(string) string, root fs.FS) Place {
	p := Place{User: getenv("USER"), Display: runtime.GOOS != "linux" || hasDisplay(getenv)}
	if p.User == "" {
		p.User = getenv("USERNAME")
	}
	p.Host, _ = os.Hostname()
	if conn := getenv("SSH_CONNECTION"); conn != "" || getenv("SSH_TTY") != "" {
		p.SSH = true
		// SSH_CONNECTION: client address, client port, server address, server port.
		if f := strings.Fields(conn); len(f) == 4 {
			p.SSHServer = f[2]
		}
	}
	if runtime.GOOS == "linux" {
		p.Container = container(getenv, root)
		p.WSL = wsl(getenv, root)
	}
	return p
}

// container names the container runtime, from the marker files the runtimes
// leave, the `container` variable systemd-nspawn and podman set, and the
// cgroup of process 1.
func container(getenv func(string) string, root fs.FS) string {
	switch {
	case exists(root, ".dockerenv"):
		return "docker"
	case exists(root, "run/.containerenv"):
		return "podman"
	case getenv("KUBERNETES_SERVICE_HOST") != "":
		return "kubernetes"
	case getenv("container") != "":
		return getenv("container")
	}
	cgroup := readSmall(root, "proc/1/cgroup")
	for _, name := range []string{"kubepods", "docker", "lxc", "containerd"} {
		if strings.Contains(cgroup, name) {
			if name == "kubepods" {
				return "kubernetes"
			}
			return name
		}
	}
	return ""
}

func wsl(getenv func(string) string, root fs.FS) bool {
	if getenv("WSL_DISTRO_NAME") != "" || getenv("WSL_INTEROP") != "" {
		return true
	}
	return strings.Contains(strings.ToLower(readSmall(root, "proc/sys/kernel/osrelease")), "microsoft")
}

func exists(root fs.FS, name string) bool {
	_, err := fs.Stat(root, name)
	return err == nil
}

// readSmall reads at most 64 KiB of a regular or proc file, "" on any error.
func readSmall(root fs.FS, name string) string {
	f, err := root.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := f.Read(buf)
	return string(buf[:n])
}
