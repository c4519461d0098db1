package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

type results struct {
	n     int
	delay time.Duration

	startCL, startCodex, startLauncher []time.Duration
	startFloor                         [2][]time.Duration    // an empty Go program; one linking net/http, crypto/tls, cobra
	logins                             map[string][]loginRun // tool + key(delay, drop)
	fails                              map[string]int
	status                             [2][]proc              // [0] codex-login, [1] Codex
	statusRSS, loginRSS                [2][]int64             // peak RSS under GNU time, bytes; [0] codex-login, [1] Codex
	paths                              map[time.Duration]path // what the route costs a Go client, by delay

	sizeCL, archiveCL, sizeCodex, pkgCodex int64
}

// row is one line of the table; empty cells are written "—".
type row struct{ metric, cl, codex, ratio, target, floor string }

func ms(d time.Duration) string {
	if d < 0 {
		return "failed"
	}
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// msMin is the median of ds and, in brackets, the fastest run.
func msMin(ds []time.Duration) string {
	if len(ds) == 0 {
		return "failed"
	}
	return fmt.Sprintf("%s (min %.1f)", ms(median(ds)), float64(slices.Min(ds))/float64(time.Millisecond))
}

func mib(b int64) string {
	if b < 0 {
		return "failed"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func (res *results) runs(t tool, delay time.Duration, drop bool) []loginRun {
	return res.logins[string(t)+key(delay, drop)]
}

// pick collects one measure over runs.
func pick(runs []loginRun, f func(loginRun) time.Duration) []time.Duration {
	var ds []time.Duration
	for _, r := range runs {
		ds = append(ds, f(r))
	}
	return ds
}

func (res *results) failNote(t tool, delay time.Duration, drop bool) string {
	if n := res.fails[string(t)+key(delay, drop)]; n > 0 {
		return fmt.Sprintf(" (%d of %d failed)", n, res.n)
	}
	return ""
}

func (res *results) table(b *bench) string {
	var rows []row
	startCL, startCodex := median(res.startCL), median(res.startCodex)
	rows = append(rows, row{"start-up: `codex-login version` / `codex --version` (native binary)",
		msMin(res.startCL), msMin(res.startCodex), ratio(float64(startCL), float64(startCodex)), "—", "—"})
	for i, what := range []string{"an empty Go program", "a Go program that only links net/http, crypto/tls and cobra"} {
		if len(res.startFloor[i]) > 0 {
			rows = append(rows, row{"start-up floor on this machine: " + what + ", built like the release",
				msMin(res.startFloor[i]), "—", "—", "—", "—"})
		}
	}
	if len(res.startLauncher) > 0 {
		l := median(res.startLauncher)
		rows = append(rows, row{"start-up: `codex --version` through the npm launcher (node)",
			"—", msMin(res.startLauncher), ratio(float64(startCL), float64(l)), "—", "—"})
	}

	// Local work before the first byte (loopback, both loopback cases pooled).
	var fb []time.Duration
	codexFirst := "none before the URL"
	for _, drop := range []bool{false, true} {
		for _, r := range res.runs(toolCL, 0, drop) {
			if r.firstByte > 0 {
				fb = append(fb, r.firstByte-startCL)
			}
		}
		for _, r := range res.runs(toolCodex, 0, drop) {
			if r.firstByte > 0 {
				codexFirst = "sends bytes before the URL"
			}
		}
	}
	rows = append(rows, row{"local work before the first byte of the pre-flight, loopback (exec → first byte at the relay, minus start-up)",
		msMin(fb), codexFirst, "—", "≤ 3 ms", "—"})

	for _, delay := range []time.Duration{0, res.delay} {
		rtt := 2 * delay
		where := "loopback"
		if delay > 0 {
			where = fmt.Sprintf("+%v each way", delay)
		}
		cls, cxs := pick(res.runs(toolCL, delay, false), func(r loginRun) time.Duration { return r.url }),
			pick(res.runs(toolCodex, delay, false), func(r loginRun) time.Duration { return r.url })
		cl, cx := median(cls), median(cxs)
		floor := startCL + res.paths[delay].preflight
		rows = append(rows, row{"time to the authorize URL, " + where + " (Codex: unverified, no pre-flight)",
			msMin(cls) + res.failNote(toolCL, delay, false), msMin(cxs) + res.failNote(toolCodex, delay, false),
			ratio(float64(cl), float64(cx)), "≤ " + ms(floor+5*time.Millisecond),
			fmt.Sprintf("%s (start-up + the route's 4 round trips as a Go client makes them: %s; 4 RTT alone: %s)",
				ms(floor), ms(res.paths[delay].preflight), ms(4*rtt))})
	}
	for _, drop := range []bool{false, true} {
		for _, delay := range []time.Duration{0, res.delay} {
			rtt := 2 * delay
			where := "loopback"
			if delay > 0 {
				where = fmt.Sprintf("+%v each way", delay)
			}
			trips, what, floor := 2, "tunnel kept", res.paths[delay].exchanges
			if drop {
				trips, what, floor = 5, "proxy closed the idle tunnel", res.paths[delay].reopened
			}
			cls, cxs := pick(res.runs(toolCL, delay, drop), func(r loginRun) time.Duration { return r.wait }),
				pick(res.runs(toolCodex, delay, drop), func(r loginRun) time.Duration { return r.wait })
			cl, cx := median(cls), median(cxs)
			rows = append(rows, row{fmt.Sprintf("wait after Continue (callback GET → response headers), %s, %s", what, where),
				msMin(cls) + res.failNote(toolCL, delay, drop), msMin(cxs) + res.failNote(toolCodex, delay, drop),
				ratio(float64(cl), float64(cx)), "≤ " + ms(floor+5*time.Millisecond),
				fmt.Sprintf("%s (the two exchanges as a Go client makes them; %d RTT alone: %s)", ms(floor), trips, ms(time.Duration(trips)*rtt))})
		}
	}
	for _, drop := range []bool{false, true} {
		var cl, cx []int64
		var others []string
		for _, delay := range []time.Duration{0, res.delay} {
			for _, r := range res.runs(toolCL, delay, drop) {
				cl = append(cl, int64(r.conns))
				others = append(others, r.others...)
			}
			for _, r := range res.runs(toolCodex, delay, drop) {
				cx = append(cx, int64(r.conns))
				others = append(others, r.others...)
			}
		}
		what, target := "tunnel kept", "exactly 1"
		if drop {
			what, target = "proxy closed the idle tunnel", "2"
		}
		rows = append(rows, row{"TLS connections to the issuer per login, counted at the relay (" + what + ")",
			spread(cl), spread(cx), ratio(float64(medianInt(cl)), float64(medianInt(cx))), target, "—"})
		if len(others) > 0 {
			slices.Sort(others)
			b.notes = append(b.notes, fmt.Sprintf("connections to other targets during logins (%s): %s", what, strings.Join(slices.Compact(others), ", ")))
		}
	}

	var stCL, stCx []time.Duration
	for _, p := range res.status[0] {
		stCL = append(stCL, p.wall)
	}
	for _, p := range res.status[1] {
		stCx = append(stCx, p.wall)
	}
	rssCL, rssCx := res.statusRSS[0], res.statusRSS[1]
	rows = append(rows,
		row{"`codex-login status` / `codex login status`, signed in: wall time", msMin(stCL), msMin(stCx),
			ratio(float64(median(stCL)), float64(median(stCx))), "≤ 10 ms", statusFloor(res)},
		row{"`codex-login status` / `codex login status`, signed in: peak RSS (GNU time)", mib(medianInt(rssCL)), mib(medianInt(rssCx)),
			ratio(float64(medianInt(rssCL)), float64(medianInt(rssCx))), "≤ 15 MiB", "—"})
	lCL, lCx := res.loginRSS[0], res.loginRSS[1]
	rows = append(rows, row{"peak RSS of a whole login, loopback (GNU time)", mib(medianInt(lCL)), mib(medianInt(lCx)),
		ratio(float64(medianInt(lCL)), float64(medianInt(lCx))), "—", "—"})
	rows = append(rows, row{"binary size: codex-login linux/amd64 as released / Codex's native binary",
		mb(res.sizeCL), mb(res.sizeCodex), ratio(float64(res.sizeCL), float64(res.sizeCodex)), "≤ 15 MB", "—"})
	if res.archiveCL > 0 || res.pkgCodex > 0 {
		rows = append(rows, row{"download / installed size: release archive (.tar.gz) / the npm packages' directory",
			mb(res.archiveCL), mb(res.pkgCodex), ratio(float64(res.archiveCL), float64(res.pkgCodex)), "—", "—"})
	}

	var s strings.Builder
	s.WriteString("| metric | codex-login | Codex | ratio | target | floor |\n")
	s.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&s, "| %s | %s | %s | %s | %s | %s |\n", r.metric, r.cl, r.codex, r.ratio, r.target, r.floor)
	}
	return strings.TrimRight(s.String(), "\n")
}

// spread is "N" when every value is N, else "min–max (median M)".
func spread(xs []int64) string {
	if len(xs) == 0 {
		return "failed"
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d (median %d)", lo, hi, medianInt(xs))
}

// writeDoc replaces the "## Results" section of c.doc (up to the next
// "## " heading), or appends one.
func writeDoc(c config, codexVer, load, table string, notes []string) error {
	old, err := os.ReadFile(c.doc)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var s strings.Builder
	s.WriteString("## Results\n\n")
	s.WriteString("Written by `testdata/bench.sh`; do not edit by hand.\n\n")
	fmt.Fprintf(&s, "- date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&s, "- commit: `%s`\n", c.commit)
	fmt.Fprintf(&s, "- machine: %d CPUs (nproc), %s, Linux %s\n", runtime.NumCPU(), cpuModel(), kernel())
	fmt.Fprintf(&s, "- load average (1, 5, 15 min): %s (other work on the machine makes the figures noisier)\n", load)
	fmt.Fprintf(&s, "- Codex: %s; Go: %s\n", codexVer, runtime.Version())
	fmt.Fprintf(&s, "- N = %d runs per measurement (medians); added latency: %v each way (%v RTT) by the user-space relay (this kernel has no netem)\n\n",
		c.n, c.delay, 2*c.delay)
	s.WriteString(table + "\n")
	if len(notes) > 0 {
		s.WriteString("\n")
		for _, n := range notes {
			fmt.Fprintf(&s, "- note: %s\n", n)
		}
	}
	doc := string(old)
	i := strings.Index(doc, "\n## Results\n")
	if i < 0 {
		if doc != "" && !strings.HasSuffix(doc, "\n\n") {
			doc = strings.TrimRight(doc, "\n") + "\n\n"
		}
		doc += s.String()
	} else {
		rest := doc[i+len("\n## Results\n"):]
		end := ""
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = "\n" + rest[j+1:]
		}
		doc = doc[:i+1] + s.String() + end
	}
	return os.WriteFile(c.doc, []byte(doc), 0o644)
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func kernel() string {
	b, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return strings.TrimSpace(string(b))
}

// statusFloor is the start-up of a Go program that links what any
// command of codex-login needs (net/http, crypto/tls, cobra) and does
// nothing: status cannot start faster in one binary.
func statusFloor(res *results) string {
	if len(res.startFloor[1]) == 0 {
		return "—"
	}
	return ms(median(res.startFloor[1])) + " (Go start-up with net/http)"
}
