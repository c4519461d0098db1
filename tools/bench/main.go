// Command bench runs codex-login and the real Codex CLI side by side against
// the same fake issuer (answering as auth.openai.com) through the same
// squid ssl-bump proxy, with a relay in front of squid that adds latency,
// and prints one table: metric | codex-login | Codex | ratio | target | floor.
// With -doc it rewrites the "Results" section of that file (PERFORMANCE.md).
//
// testdata/bench.sh builds it and runs it inside testdata/e2e/sandbox.sh (a
// network namespace where only loopback exists); run it only there: it
// listens on 127.0.0.1:443 and 127.0.0.1:1455 and starts squid.
//
// It exits non-zero only when the harness itself breaks (squid does not
// start, a tool cannot be run at all); slow or failed logins are reported.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/trust/trusttest"
)

const issuerHost = "auth.openai.com"

type config struct {
	codexLogin    string // the released codex-login binary
	codex         string // Codex's native binary
	codexLauncher string // the npm launcher (node bin/codex.js)
	codexPkg      string // the npm packages' directory (node_modules/@openai)
	archive       string // the released codex-login archive
	scripts       string // testdata/e2e
	work          string
	doc           string
	commit        string
	n             int
	delay         time.Duration
	// floors: Go programs built like the release that only start (an
	// empty main; one that links net/http, crypto/tls and cobra), to show
	// what starting a Go binary costs on this machine.
	floorEmpty, floorNet string
}

func main() {
	var c config
	flag.StringVar(&c.codexLogin, "codex-login", "", "the codex-login binary (as released)")
	flag.StringVar(&c.archive, "archive", "", "the release archive the binary came from (its size is reported)")
	flag.StringVar(&c.codex, "codex", "", "Codex's native binary")
	flag.StringVar(&c.codexLauncher, "codex-launcher", "", "Codex's npm launcher (node_modules/.bin/codex)")
	flag.StringVar(&c.codexPkg, "codex-pkg", "", "the directory holding Codex's npm packages (node_modules/@openai)")
	flag.StringVar(&c.scripts, "scripts", "testdata/e2e", "the directory of squid.sh")
	flag.StringVar(&c.work, "work", "", "a work directory user proxy can enter (default: a new one under /tmp)")
	flag.StringVar(&c.doc, "doc", "", "rewrite the Results section of this file (PERFORMANCE.md)")
	flag.StringVar(&c.commit, "commit", "unknown", "the commit measured (git rev-parse HEAD)")
	flag.IntVar(&c.n, "n", 10, "runs per measurement (medians are reported)")
	flag.StringVar(&c.floorEmpty, "floor-empty", "", "an empty Go program, built like the release")
	flag.StringVar(&c.floorNet, "floor-net", "", "a Go program that links net/http, crypto/tls and cobra and does nothing")
	flag.DurationVar(&c.delay, "delay", 25*time.Millisecond, "one-way delay added between the tools and the proxy")
	flag.Parse()
	if c.codexLogin == "" || c.codex == "" || c.n < 1 {
		fmt.Fprintln(os.Stderr, "usage: bench -codex-login BIN -codex BIN [-codex-launcher BIN] [-n N] [-doc PERFORMANCE.md] ...")
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintf(os.Stderr, "bench: error: %v\n", err)
		os.Exit(1)
	}
}

type bench struct {
	config
	relay        *relay
	browser      *http.Client // plays the user's browser: through squid, trusting its CA
	direct       *http.Client // for the loopback callback
	ca           string       // the inspection CA (PEM file)
	tmp          string
	homes        map[string]string // a signed-in CODEX_HOME per tool, for status
	notes        []string
	codexVersion string
	load         string // the load average around the run
	// rss: run each tool under GNU time (/usr/bin/time -f %M), in runs of
	// their own. A child's own rusage cannot be used: Go starts children
	// with vfork, and Linux counts the parent's memory, shared until the
	// exec, in the child's peak RSS (the driver's own, some 20 MiB).
	rss bool
}

// underTime makes cmd run under GNU time, which forks (rather than
// vforks) the tool and writes its peak RSS in KiB to a file; the returned
// function reads it, in bytes (0 when it cannot). Without b.rss it does
// nothing and returns nil.
func (b *bench) underTime(cmd *exec.Cmd) func() int64 {
	if !b.rss {
		return nil
	}
	f, err := os.CreateTemp(b.tmp, "rss.")
	if err != nil {
		return func() int64 { return 0 }
	}
	f.Close()
	cmd.Args = append([]string{"time", "-f", "%M", "-o", f.Name(), cmd.Path}, cmd.Args[1:]...)
	cmd.Path = "/usr/bin/time"
	return func() int64 {
		defer os.Remove(f.Name())
		data, err := os.ReadFile(f.Name())
		if err != nil {
			return 0
		}
		lines := strings.Fields(string(data))
		if len(lines) == 0 {
			return 0
		}
		kib, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
		if err != nil {
			return 0
		}
		return kib * 1024
	}
}

func run(c config) (err error) {
	if c.work == "" {
		if c.work, err = os.MkdirTemp("/tmp", "codex-login-bench."); err != nil {
			return err
		}
		defer os.RemoveAll(c.work)
	}
	if err := os.Chmod(c.work, 0o755); err != nil {
		return err
	}
	b := &bench{config: c, homes: map[string]string{}, tmp: filepath.Join(c.work, "tmp")}
	if err := os.Mkdir(b.tmp, 0o755); err != nil {
		return err
	}

	// The fake issuer, as auth.openai.com on 127.0.0.1:443 (squid's
	// hosts_file sends the name there), with a real end-entity certificate.
	origin, err := trusttest.NewCA("Bench Origin CA")
	if err != nil {
		return err
	}
	originCA, err := origin.WriteCert(c.work, "origin-ca.pem")
	if err != nil {
		return err
	}
	issuer := logintest.NewIssuer(logintest.Options{})
	srv, err := logintest.ListenTLS("127.0.0.1:443", issuer, origin, issuerHost)
	if err != nil {
		return fmt.Errorf("fake issuer: %w", err)
	}
	defer srv.Close()

	// squid (testdata/e2e/squid.sh), stopped whatever happens.
	sq := filepath.Join(c.work, "squid")
	cmd := exec.Command("bash", filepath.Join(c.scripts, "squid.sh"), "start", sq)
	cmd.Env = append(os.Environ(), "ORIGIN_CA="+originCA, "HOSTS="+issuerHost)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("squid.sh start: %w", err)
	}
	stopSquid := func() {
		cmd := exec.Command("bash", filepath.Join(c.scripts, "squid.sh"), "stop", sq)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		_ = cmd.Run()
	}
	defer stopSquid()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() { <-sigs; stopSquid(); os.Exit(1) }()
	env, err := readEnv(filepath.Join(sq, "env"))
	if err != nil {
		return err
	}
	b.ca = env["PROXY_CA"]
	proxyURL, err := url.Parse(env["PROXY_URL"])
	if err != nil || b.ca == "" {
		return fmt.Errorf("squid.sh wrote no PROXY_URL or PROXY_CA")
	}
	pem, err := os.ReadFile(b.ca)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return errors.New("the inspection CA file holds no certificate")
	}
	b.browser = &http.Client{
		Transport:     &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	b.direct = &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       60 * time.Second,
	}
	if b.relay, err = newRelay(proxyURL.Host); err != nil {
		return err
	}
	defer b.relay.Close()

	load0 := loadAvg()
	res, err := b.measure()
	if err != nil {
		return err
	}
	b.load = load0 + " before, " + loadAvg() + " after"
	table := res.table(b)
	fmt.Println(table)
	fmt.Println("load average (1, 5, 15 min):", b.load)
	for _, n := range b.notes {
		fmt.Println("note:", n)
	}
	if c.doc != "" {
		if err := writeDoc(c, b.codexVersion, b.load, table, b.notes); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote the Results section of %s\n", c.doc)
	}
	return nil
}

func readEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = strings.Trim(v, `"`)
		}
	}
	return m, nil
}

// proc is one finished process: its wall time and peak RSS.
type proc struct {
	wall   time.Duration
	maxRSS int64 // bytes
	out    string
}

// runOnce runs bin with args in env and waits for it.
func (b *bench) runOnce(bin string, env []string, args ...string) (proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	readRSS := b.underTime(cmd)
	start := time.Now()
	err := cmd.Run()
	p := proc{wall: time.Since(start), out: out.String()}
	if readRSS != nil {
		p.maxRSS = readRSS()
	}
	if err != nil {
		return p, fmt.Errorf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, tail(p.out))
	}
	return p, nil
}

func (b *bench) baseEnv(home string) []string {
	return []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + b.tmp, "LANG=C.UTF-8"}
}

// loginRun is what one login measured.
type loginRun struct {
	firstByte time.Duration // exec → first byte at the relay; 0: none before the URL
	url       time.Duration // exec → the authorize URL printed
	wait      time.Duration // callback GET → its response headers
	conns     int           // tunnels to the issuer opened through the relay
	others    []string
	maxRSS    int64
	err       error
}

type tool string

const (
	toolCL    tool = "codex-login"
	toolCodex tool = "Codex"
)

// login runs one whole browser login of t with the relay delaying delay
// each way; with drop, the relay closes the tool's tunnels between the
// authorize page and the callback.
func (b *bench) login(t tool, delay time.Duration, drop bool) (r loginRun) {
	home, err := os.MkdirTemp(b.work, "home.")
	if err != nil {
		return loginRun{err: err}
	}
	codexHome := filepath.Join(home, "codex")
	if err := os.Mkdir(codexHome, 0o700); err != nil {
		return loginRun{err: err}
	}
	keep := false
	defer func() {
		if keep {
			return
		}
		_ = os.RemoveAll(home)
	}()
	env := b.baseEnv(home)
	var cmd *exec.Cmd
	switch t {
	case toolCL:
		cmd = exec.Command(b.codexLogin, "login", "--json", "--no-browser", "--timeout", "60s",
			"--ca", b.ca, "--proxy", b.relay.URL(), "--codex-home", codexHome)
	case toolCodex:
		cmd = exec.Command(b.codex, "login")
		env = append(env, "CODEX_HOME="+codexHome, "HTTPS_PROXY="+b.relay.URL(),
			"SSL_CERT_FILE="+b.ca, "CODEX_CA_CERTIFICATE="+b.ca)
	}
	cmd.Env = env
	readRSS := b.underTime(cmd)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	urls := make(chan string, 2)
	var logMu strings.Builder
	logs := make(chan string, 1024)
	scan := func(rd io.Reader) {
		s := bufio.NewScanner(rd)
		s.Buffer(make([]byte, 64<<10), 1<<20)
		for s.Scan() {
			line := s.Text()
			if t == toolCL {
				var ev struct{ Type, URL string }
				if json.Unmarshal([]byte(line), &ev) == nil && ev.Type == "authorize_url" {
					urls <- ev.URL
				}
			} else if strings.HasPrefix(line, "https://"+issuerHost+"/oauth/authorize?") {
				urls <- strings.TrimSpace(line)
			}
			select {
			case logs <- line:
			default:
			}
		}
	}
	b.relay.Reset(delay)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return loginRun{err: err}
	}
	exited := make(chan struct{})
	go scan(stdout)
	go scan(stderr)
	go func() { _ = cmd.Wait(); close(exited) }()
	fail := func(err error) loginRun {
		_ = cmd.Process.Kill()
		<-exited
		close(logs)
		for l := range logs {
			logMu.WriteString(l + "\n")
		}
		return loginRun{err: fmt.Errorf("%s login: %w\n%s", t, err, tail(redactURLs(logMu.String())))}
	}

	var authorize string
	select {
	case authorize = <-urls:
		r.url = time.Since(start)
	case <-exited:
		return fail(errors.New("exited before printing the authorize URL"))
	case <-time.After(60 * time.Second):
		return fail(errors.New("no authorize URL within 60 s"))
	}
	if fb := b.relay.FirstByte(); !fb.IsZero() {
		r.firstByte = fb.Sub(start)
	}

	// The browser: the authorize page at the issuer, through squid; it
	// redirects to the loopback callback with code and state.
	req, _ := http.NewRequest(http.MethodGet, authorize, nil)
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := b.browser.Do(req)
	if err != nil {
		return fail(fmt.Errorf("browser: GET the authorize page: %v", errors.Unwrap(err)))
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(callback, "http://127.0.0.1:1455/auth/callback?") {
		return fail(fmt.Errorf("browser: the authorize page answered %d, not a redirect to the callback", resp.StatusCode))
	}
	// The user reads the page, clicks Continue; meanwhile the proxy may
	// close the idle tunnel.
	time.Sleep(100 * time.Millisecond)
	if drop {
		b.relay.KillAll()
	}
	time.Sleep(100 * time.Millisecond)

	t0 := time.Now()
	resp, err = b.direct.Get(callback)
	if err != nil {
		return fail(fmt.Errorf("browser: GET the callback: %v", errors.Unwrap(err)))
	}
	r.wait = time.Since(t0)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
		if u, err := url.Parse(callback); err == nil {
			if next, err := u.Parse(loc); err == nil && next.Hostname() == "127.0.0.1" {
				if resp, err := b.direct.Get(next.String()); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}
	} else if resp.StatusCode/100 != 2 {
		return fail(fmt.Errorf("the callback answered %d", resp.StatusCode))
	}
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		return fail(errors.New("still running 60 s after the callback"))
	}
	if !cmd.ProcessState.Success() {
		close(logs)
		for l := range logs {
			logMu.WriteString(l + "\n")
		}
		return loginRun{err: fmt.Errorf("%s login: %v\n%s", t, cmd.ProcessState, tail(redactURLs(logMu.String())))}
	}
	if readRSS != nil {
		r.maxRSS = readRSS()
	}
	if _, err := os.Stat(filepath.Join(codexHome, "auth.json")); err != nil {
		return loginRun{err: fmt.Errorf("%s login: no auth.json in CODEX_HOME after success", t)}
	}
	r.conns, r.others = b.relay.Count(issuerHost + ":443")
	if delay == 0 && !drop && b.homes[string(t)] == "" {
		b.homes[string(t)] = home
		keep = true
	}
	return r
}

// tail is the last lines of s.
func tail(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "    " + strings.Join(lines, "\n    ")
}

// redactURLs hides query strings (codes, states) in logs.
func redactURLs(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "?"); i >= 0 && strings.Contains(line, "://") {
			line = line[:i] + "?…"
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// measure runs everything, tools alternating run by run.
func (b *bench) measure() (*results, error) {
	res := &results{n: b.n, delay: b.delay, logins: map[string][]loginRun{}, fails: map[string]int{}}
	home := filepath.Join(b.work, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return nil, err
	}
	env := b.baseEnv(home)
	step := func(s string) { fmt.Fprintf(os.Stderr, "bench: %s\n", s) }

	step(fmt.Sprintf("start-up, %d runs each", b.n))
	// One run of each first, not counted: the page cache.
	if _, err := b.runOnce(b.codexLogin, env, "version"); err != nil {
		return nil, err
	}
	p, err := b.runOnce(b.codex, append(env, "CODEX_HOME="+home), "--version")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(p.out, "\n") {
		if strings.HasPrefix(line, "codex") {
			b.codexVersion = strings.TrimSpace(line)
		}
	}
	if b.codexLauncher != "" {
		if _, err := b.runOnce(b.codexLauncher, append(env, "CODEX_HOME="+home), "--version"); err != nil {
			return nil, err
		}
	}
	for range b.n {
		p, err := b.runOnce(b.codexLogin, env, "version")
		if err != nil {
			return nil, err
		}
		res.startCL = append(res.startCL, p.wall)
		for i, floor := range []string{b.floorEmpty, b.floorNet} {
			if floor == "" {
				continue
			}
			if p, err := b.runOnce(floor, env); err == nil {
				res.startFloor[i] = append(res.startFloor[i], p.wall)
			}
		}
		p, err = b.runOnce(b.codex, append(env, "CODEX_HOME="+home), "--version")
		if err != nil {
			return nil, err
		}
		res.startCodex = append(res.startCodex, p.wall)
		if b.codexLauncher != "" {
			p, err = b.runOnce(b.codexLauncher, append(env, "CODEX_HOME="+home), "--version")
			if err != nil {
				return nil, err
			}
			res.startLauncher = append(res.startLauncher, p.wall)
		}
	}

	const calibrations = 5
	res.paths = map[time.Duration]path{}
	for _, delay := range []time.Duration{0, b.delay} {
		step(fmt.Sprintf("the route itself, %s, %d times (the floors)", key(delay, false), calibrations))
		p, err := b.calibrate(delay, calibrations)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "bench:   pre-flight %s, two exchanges %s, two exchanges on a new connection %s\n",
			ms(p.preflight), ms(p.exchanges), ms(p.reopened))
		res.paths[delay] = p
	}

	for _, delay := range []time.Duration{0, b.delay} {
		for _, drop := range []bool{false, true} {
			k := key(delay, drop)
			step(fmt.Sprintf("logins, %s, %d runs per tool", k, b.n))
			for range b.n {
				for _, t := range []tool{toolCL, toolCodex} {
					r := b.login(t, delay, drop)
					if r.err != nil {
						fmt.Fprintf(os.Stderr, "bench: %v\n", r.err)
						res.fails[string(t)+k]++
						continue
					}
					fmt.Fprintf(os.Stderr, "bench:   %-11s first byte %-9s URL %-9s wait %-9s tunnels %d\n",
						t, ms(r.firstByte), ms(r.url), ms(r.wait), r.conns)
					res.logins[string(t)+k] = append(res.logins[string(t)+k], r)
				}
			}
		}
	}

	step(fmt.Sprintf("status, %d runs each", b.n))
	for _, t := range []tool{toolCL, toolCodex} {
		h := b.homes[string(t)]
		if h == "" {
			b.notes = append(b.notes, fmt.Sprintf("%s status not measured: no login succeeded", t))
			continue
		}
		env := b.baseEnv(h)
		bin, args := b.codexLogin, []string{"status", "--codex-home", filepath.Join(h, "codex")}
		if t == toolCodex {
			bin, args = b.codex, []string{"login", "status"}
			env = append(env, "CODEX_HOME="+filepath.Join(h, "codex"))
		}
		p, err := b.runOnce(bin, env, args...) // not counted
		if err != nil {
			b.notes = append(b.notes, fmt.Sprintf("%s status failed: %v", t, err))
			continue
		}
		if !strings.Contains(p.out, "@") && !strings.Contains(p.out, "Logged in") {
			b.notes = append(b.notes, fmt.Sprintf("%s status does not say who is signed in: %q", t, tail(p.out)))
		}
		for range b.n {
			p, err := b.runOnce(bin, env, args...)
			if err != nil {
				return nil, err
			}
			i := 0
			if t == toolCodex {
				i = 1
			}
			res.status[i] = append(res.status[i], p)
		}
	}

	// Peak RSS, in runs of its own: GNU time's fork and exec would add to
	// the times above.
	const rssRuns = 3
	step(fmt.Sprintf("peak RSS under /usr/bin/time, %d logins and %d status runs each", rssRuns, rssRuns))
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		b.notes = append(b.notes, "peak RSS not measured: /usr/bin/time (Debian package time) is missing")
	} else {
		b.rss = true
		for i, t := range []tool{toolCL, toolCodex} {
			for range rssRuns {
				if r := b.login(t, 0, false); r.err == nil && r.maxRSS > 0 {
					res.loginRSS[i] = append(res.loginRSS[i], r.maxRSS)
				}
			}
			h := b.homes[string(t)]
			if h == "" {
				continue
			}
			env := b.baseEnv(h)
			bin, args := b.codexLogin, []string{"status", "--codex-home", filepath.Join(h, "codex")}
			if t == toolCodex {
				bin, args = b.codex, []string{"login", "status"}
				env = append(env, "CODEX_HOME="+filepath.Join(h, "codex"))
			}
			for range rssRuns {
				if p, err := b.runOnce(bin, env, args...); err == nil && p.maxRSS > 0 {
					res.statusRSS[i] = append(res.statusRSS[i], p.maxRSS)
				}
			}
		}
		b.rss = false
	}

	step("sizes")
	if fi, err := os.Stat(b.codexLogin); err == nil {
		res.sizeCL = fi.Size()
	}
	if fi, err := os.Stat(b.archive); err == nil && b.archive != "" {
		res.archiveCL = fi.Size()
	}
	if fi, err := os.Stat(b.codex); err == nil {
		res.sizeCodex = fi.Size()
	}
	if b.codexPkg != "" {
		res.pkgCodex = dirSize(b.codexPkg)
	}
	return res, nil
}

func key(delay time.Duration, drop bool) string {
	s := "loopback"
	if delay > 0 {
		s = fmt.Sprintf("+%v each way", delay)
	}
	if drop {
		s += ", tunnel closed"
	}
	return s
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return -1
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(xs []int64) int64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
