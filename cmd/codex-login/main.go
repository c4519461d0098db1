// Command codex-login signs in to OpenAI Codex with ChatGPT from networks
// where `codex login` fails: behind TLS-inspecting proxies, behind proxies
// that want credentials, on SSH hosts and in containers. It writes the
// credentials that Codex reads.
package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/keyring"
	"github.com/codex-login/codex-login/pac"
	"github.com/codex-login/codex-login/trust"
)

func main() {
	if mayGoOnline(os.Args[1:]) {
		trust.PreloadSystemRoots() // before the commands are even built; begin starts it otherwise
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{
		getenv:         os.Getenv,
		stdout:         os.Stdout,
		stderr:         os.Stderr,
		systemFile:     config.SystemFile(),
		codexSystemDir: config.CodexSystemDir(),
		root:           os.DirFS("/"),
		stdin:          os.Stdin,
		terminal:       terminalSize,
		readPassword:   readTerminalPassword,
		keyring:        keyring.System(),
		systemProxy:    func(ctx context.Context) (pac.System, error) { return pac.SystemSettings(ctx, os.Getenv) },
	})
	stop()
	os.Exit(code)
}

// mayGoOnline guesses, from the words of the command line alone, whether
// the command will reach the network, so that reading the system roots
// starts first thing. A wrong guess costs only time: the command's own
// begin starts the reading for every command that goes online.
func mayGoOnline(args []string) bool {
	for _, a := range args {
		if offline[a] || a == "--help" || a == "-h" {
			return false
		}
	}
	return true
}

// env is everything the command takes from the process, so tests can run
// it in-process with their own environment.
type env struct {
	getenv         func(string) string
	stdout         io.Writer
	stderr         io.Writer
	systemFile     string        // the machine-wide codex-login config file (config.SystemFile())
	codexSystemDir string        // where Codex keeps its machine-wide files (config.CodexSystemDir())
	root           fs.FS         // the file system, to see where the process runs (containers, WSL)
	limits         *trust.Limits // connection phase limits; nil for trust's defaults (tests shorten them)
	stdin          io.Reader     // where pasted addresses come from
	// terminal reports the size of the terminal a person types in; ok is
	// false when stdin is not a terminal.
	terminal func() (width, height int, ok bool)
	// readPassword reads a line from the terminal without echo; nil when
	// there is no terminal to ask.
	readPassword func() (string, error)
	// systemProxy reads the operating system's proxy settings; nil for
	// none (tests).
	systemProxy func(ctx context.Context) (pac.System, error)
	// keyring is the operating system's secret store; nil for none.
	keyring codexauth.Keyring
	// hangup delivers SIGHUP to codex-login web (a new access link); nil
	// for the process's own.
	hangup <-chan os.Signal
}

// terminalSize is env.terminal for the real process.
func terminalSize() (int, int, bool) {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return 0, 0, false
	}
	w, h, err := term.GetSize(int(os.Stderr.Fd()))
	if err != nil {
		return 0, 0, true
	}
	return w, h, true
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	a := newApp(e)
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	return a.report(err)
}
