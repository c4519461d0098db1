package trust

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/smallstep/truststore"
)

// TestInstallPlanNamesEveryChange: the plan names the file written and the
// command run, and for Java and NSS the file or database touched, or what
// stops them, all without changing anything.
func TestInstallPlanNamesEveryChange(t *testing.T) {
	if truststore.SystemTrustFilename == "" {
		t.Skip("no CA directory of a known distribution here")
	}
	ca := newCA(t, "Corp Root")
	javaHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(javaHome, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JAVA_HOME", javaHome)
	t.Setenv("HOME", t.TempDir())

	plan := InstallPlan(ca.Cert, InstallOptions{NSS: true, Java: true})
	text := strings.Join(plan, "\n")
	for _, want := range []string{
		"write " + systemFile(ca.Cert),
		"run " + strings.Join(truststore.SystemTrustCommand, " "),
		"no keytool in " + filepath.Join(javaHome, "bin"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasPrefix(filepath.Base(systemFile(ca.Cert)), storePrefix(ca.Cert)) {
		t.Errorf("the system file %s is not named after the CA", systemFile(ca.Cert))
	}
	if _, err := exec.LookPath("certutil"); err != nil && !strings.Contains(text, "certutil is not installed") {
		t.Errorf("plan does not say certutil is missing:\n%s", text)
	}

	write(t, filepath.Join(javaHome, "bin"), "keytool", nil)
	if err := os.MkdirAll(filepath.Join(javaHome, "lib", "security"), 0o755); err != nil {
		t.Fatal(err)
	}
	cacerts := write(t, filepath.Join(javaHome, "lib", "security"), "cacerts", nil)
	text = strings.Join(InstallPlan(ca.Cert, InstallOptions{Java: true}), "\n")
	if !strings.Contains(text, "import it into "+cacerts) {
		t.Errorf("plan does not name %s:\n%s", cacerts, text)
	}
}

// TestMissingStoreStopsBeforeAnyChange: a store that was asked for and
// cannot be used is reported before the system store is touched.
func TestMissingStoreStopsBeforeAnyChange(t *testing.T) {
	t.Setenv("JAVA_HOME", "")
	_, err := extraStores(newCA(t, "Corp Root").Cert, InstallOptions{Java: true}, false)
	var e *InstallError
	if !errors.As(err, &e) || e.Store != StoreJava || e.Missing != "JAVA_HOME" {
		t.Errorf("err = %v, want *InstallError for the Java cacerts missing JAVA_HOME", err)
	}
}

// inNamespace holds, in the copy of the test binary that runs under
// unshare, the mount namespace of the test that started it.
const inNamespace = "CODEX_LOGIN_TEST_PARENT_MOUNT_NS"

// TestInstallInSystemStore installs a generated CA with the system's own
// tools and removes it again, in a private mount namespace where the CA
// directory, /etc/ssl/certs and the update hooks are empty tmpfs: this
// machine's trust store never changes. It needs root and unshare.
func TestInstallInSystemStore(t *testing.T) {
	parent := os.Getenv(inNamespace)
	if parent == "" {
		reexecUnshared(t)
		return
	}
	if ns, _ := os.Readlink("/proc/self/ns/mnt"); ns == "" || ns == parent {
		t.Fatal("not in a mount namespace of its own: refusing to touch the trust store")
	}
	if dir := filepath.Dir(truststore.SystemTrustFilename); dir != "/usr/local/share/ca-certificates" {
		t.Skipf("the CA directory here is %s, not Debian's", dir)
	}
	for _, d := range []string{"/usr/local/share/ca-certificates", "/etc/ssl/certs", debianHooks} {
		if _, err := os.Stat(d); err != nil {
			continue
		}
		if err := syscall.Mount("tmpfs", d, "tmpfs", 0, "mode=0755"); err != nil {
			t.Fatalf("mount tmpfs on %s: %v", d, err)
		}
	}
	if out, err := exec.Command("update-ca-certificates").CombinedOutput(); err != nil {
		t.Fatalf("update-ca-certificates: %v\n%s", err, out)
	}
	const bundle = "/etc/ssl/certs/ca-certificates.crt"
	contains := func(pem []byte) bool {
		data, err := os.ReadFile(bundle)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Contains(data, bytes.TrimSpace(pem))
	}

	ca := newCA(t, "codex-login Test Install Root")
	leaf, err := ca.Issue("proxy.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	var notCA *NotCAError
	if err := Install(leaf.Leaf, InstallOptions{}); !errors.As(err, &notCA) {
		t.Fatalf("Install(server certificate) = %v, want *NotCAError", err)
	}
	if contains(ca.PEM()) {
		t.Fatal("the bundle holds the test CA before Install")
	}
	if err := Install(ca.Cert, InstallOptions{}); err != nil {
		t.Fatalf("Install: %v", err)
	}
	if _, err := os.Stat(systemFile(ca.Cert)); err != nil || !contains(ca.PEM()) {
		t.Fatalf("after Install, %s: %v; %s holds the CA: %v", systemFile(ca.Cert), err, bundle, contains(ca.PEM()))
	}
	if err := Uninstall(ca.Cert, InstallOptions{}); err != nil {
		t.Fatalf("Uninstall: %v", err)
	}
	if _, err := os.Stat(systemFile(ca.Cert)); !errors.Is(err, os.ErrNotExist) || contains(ca.PEM()) {
		t.Fatalf("after Uninstall, %s: %v; %s holds the CA: %v", systemFile(ca.Cert), err, bundle, contains(ca.PEM()))
	}
	if err := Uninstall(ca.Cert, InstallOptions{}); err != nil {
		t.Errorf("Uninstall of a CA that is not there: %v", err)
	}
}

// reexecUnshared runs TestInstallInSystemStore again in a copy of the test
// binary under unshare --mount, or skips saying why it cannot.
func reexecUnshared(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("installing in the system trust store needs root")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare (util-linux) is not installed")
	}
	if out, err := exec.Command(unshare, "--mount", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare --mount does not work here: %v %s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	ns, err := os.Readlink("/proc/self/ns/mnt")
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "--", self,
		"-test.run=^TestInstallInSystemStore$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), inNamespace+"="+ns)
	out, err := cmd.CombinedOutput()
	t.Logf("in a private mount namespace:\n%s", out)
	switch {
	case bytes.Contains(out, []byte("--- SKIP: TestInstallInSystemStore")):
		t.Skip("skipped in the namespace")
	case err != nil || !bytes.Contains(out, []byte("--- PASS: TestInstallInSystemStore")):
		t.Fatalf("in the namespace: %v", err)
	}
}
