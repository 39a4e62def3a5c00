// Command submit measures how many text-only reports per second a running
// Tipline source site commits, with a fixed number of concurrent clients.
//
// Each client posts a report to /submit as fast as the server answers, for a
// warm-up and then a measured period. A request counts as committed only if
// it is answered 200 with a receipt inside id="receipt": the server shows a
// receipt only after the tip is committed and fsynced. Anything else is an
// error, counted and reported by kind. After the run, a sample of receipts is
// taken back to /status to check that each opens its own report.
//
// Given several servers of one tip line (-url A,B, on one PostgreSQL), the
// clients are dealt out among them in turn, and each receipt checked is
// opened on another server than the one that showed it.
//
// It talks only to loopback addresses and stops by itself: after the
// measured period, or after -max-requests, whichever comes first.
//
//	submit -url http://127.0.0.1:8080 -clients 32 -warmup 3s -duration 20s
//	submit -url http://127.0.0.1:8080,http://127.0.0.1:8090 -pid 101,102 ...
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tipline/bench/internal/loopback"
	"tipline/bench/internal/proc"
)

func main() {
	cfg := config{}
	flag.StringVar(&cfg.base, "url", "", "the source site, e.g. http://127.0.0.1:8080 (loopback only); several, comma-separated, for servers of one tip line")
	flag.IntVar(&cfg.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&cfg.warmup, "warmup", 3*time.Second, "time to run before measuring")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "time measured after the warm-up")
	flag.Int64Var(&cfg.maxRequests, "max-requests", 200_000, "stop after this many requests in all")
	flag.DurationVar(&cfg.timeout, "timeout", 60*time.Second, "longest wait for one answer")
	flag.IntVar(&cfg.verify, "verify", 20, "receipts to open again on /status after the run")
	flag.StringVar(&cfg.category, "category", "oil", "the report's category")
	flag.StringVar(&cfg.pids, "pid", "", "the server's process id, to report its CPU time (optional); several, comma-separated, with several -url")
	flag.IntVar(&cfg.databasePID, "database-pid", 0, "the database server's process id (PostgreSQL's postmaster), to report the CPU time of it and its children (optional)")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "submit: error: %v\n", err)
		os.Exit(1)
	}
}

type config struct {
	base        string
	clients     int
	warmup      time.Duration
	duration    time.Duration
	maxRequests int64
	timeout     time.Duration
	verify      int
	category    string
	pids        string
	databasePID int
}

// sample is one answered request.
type sample struct {
	end     time.Time
	latency time.Duration
	err     string // empty when committed
}

// committed is a receipt with the marker of the report it should open, and
// the server (an index into -url) that showed it.
type committed struct {
	receipt, marker string
	server          int
}

func run(cfg config) error {
	var bases []*url.URL
	for _, s := range strings.Split(cfg.base, ",") {
		base, err := loopback.URL(s)
		if err != nil {
			return err
		}
		bases = append(bases, base)
	}
	var pids []int
	for _, s := range strings.Split(cfg.pids, ",") {
		if s == "" {
			continue
		}
		pid, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("-pid %q: %w", s, err)
		}
		pids = append(pids, pid)
	}
	if cfg.clients < 1 || cfg.duration <= 0 {
		return errors.New("need at least one client and a positive -duration")
	}
	client := &http.Client{
		Timeout: cfg.timeout,
		Transport: &http.Transport{
			Proxy:               nil, // never through a proxy: loopback only
			MaxIdleConnsPerHost: cfg.clients,
			DisableCompression:  true,
		},
	}

	start := time.Now()
	measureFrom := start.Add(cfg.warmup)
	stopAt := measureFrom.Add(cfg.duration)
	var issued atomic.Int64
	results := make([][]sample, cfg.clients)
	receipts := make([][]committed, cfg.clients)
	cpu := watchCPU(pids, cfg.databasePID, measureFrom, stopAt)
	var wg sync.WaitGroup
	for c := range cfg.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(stopAt) && issued.Add(1) <= cfg.maxRequests; n++ {
				marker := fmt.Sprintf("bench-%d-%d-%d", start.UnixNano(), c, n)
				t0 := time.Now()
				rcpt, err := submitOne(client, bases[c%len(bases)], cfg.category, marker)
				s := sample{end: time.Now(), latency: time.Since(t0)}
				if err != nil {
					s.err = err.Error()
				} else if len(receipts[c]) < cfg.verify {
					receipts[c] = append(receipts[c], committed{rcpt, marker, c % len(bases)})
				}
				results[c] = append(results[c], s)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	all := slices.Concat(results...)
	committedInPeriod := report(cfg, all, measureFrom, stopAt, elapsed, issued.Load() > cfg.maxRequests)
	if u, ok := <-cpu; ok {
		u.print(cfg.duration, committedInPeriod)
	}

	verified, verr := verify(client, bases, pickReceipts(receipts, cfg.verify))
	where := ""
	if len(bases) > 1 {
		where = ", each on another server than the one that showed it"
	}
	fmt.Printf("  verified:  %d receipts opened their own report on /status%s\n", verified, where)
	errs := 0
	for _, s := range all {
		if s.err != "" {
			errs++
		}
	}
	switch {
	case verr != nil:
		return fmt.Errorf("a receipt did not open its report: %w", verr)
	case errs > 0:
		return fmt.Errorf("%d requests failed", errs)
	}
	return nil
}

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]+)</p>`)

// submitOne posts one text-only report and returns its receipt.
func submitOne(client *http.Client, base *url.URL, category, marker string) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields := [][2]string{
		{"category", category},
		{"message", "Load test report " + marker + ". A tanker without AIS took on oil from another " +
			"vessel at night, about 20 nautical miles off the coast; both hulls were freshly painted."},
		{"when", "last week"},
		{"how_known", "saw"},
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return "", err
		}
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	req, err := http.NewRequest(http.MethodPost, base.String()+"/submit", &body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		return "", transportError(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", transportError(err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	m := receiptPattern.FindSubmatch(page)
	if m == nil {
		return "", errors.New("HTTP 200 without a receipt")
	}
	return html.UnescapeString(string(m[1])), nil
}

// transportError keeps the kind of a network error and drops the addresses
// and ports, so that errors of one kind are counted together.
func transportError(err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return errors.New("timeout")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("connection closed early")
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return fmt.Errorf("network: %s: %v", oe.Op, oe.Err)
	}
	return fmt.Errorf("transport: %v", err)
}

// cpuUse is where the machine's CPU time went in the measured period.
type cpuUse struct {
	server, database, self time.Duration
	machine                proc.Machine
	cores                  int
	servers                int // processes counted in server
}

// watchCPU reads CPU times at the start and end of the measured period.
func watchCPU(pids []int, databasePID int, from, to time.Time) <-chan cpuUse {
	out := make(chan cpuUse, 1)
	go func() {
		defer close(out)
		read := func() (u cpuUse, err error) {
			u.self = proc.SelfCPU()
			for _, pid := range pids {
				cpu, err := proc.CPU(pid)
				if err != nil {
					return u, err
				}
				u.server += cpu
			}
			if databasePID > 0 {
				if u.database, err = proc.TreeCPU(databasePID); err != nil {
					return u, err
				}
			}
			u.machine, err = proc.ReadMachine()
			return u, err
		}
		time.Sleep(time.Until(from))
		a, err := read()
		if err != nil {
			return
		}
		time.Sleep(time.Until(to))
		b, err := read()
		if err != nil {
			return
		}
		out <- cpuUse{
			server: b.server - a.server, database: b.database - a.database, self: b.self - a.self,
			machine: b.machine.Sub(a.machine), cores: runtime.NumCPU(), servers: len(pids),
		}
	}()
	return out
}

// print shows where CPU time went, and what it cost per committed report. If
// the cores were all busy, cores divided by the CPU time per report of server,
// database and load generator estimates the rate they would reach with the
// machine to themselves; it is printed as an estimate, not a measurement.
func (u cpuUse) print(period time.Duration, committed int) {
	s := func(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
	total := u.machine.Busy + u.machine.Idle + u.machine.IOWait
	fmt.Printf("  cpu:       %s of %d cores over %s: busy %s, idle %s, iowait %s\n",
		s(total), u.cores, period, s(u.machine.Busy), s(u.machine.Idle), s(u.machine.IOWait))
	var parts []string
	if u.server > 0 {
		name := "server process "
		if u.servers > 1 {
			name = fmt.Sprintf("%d server processes ", u.servers)
		}
		parts = append(parts, name+s(u.server))
	}
	if u.database > 0 {
		parts = append(parts, "database processes "+s(u.database))
	}
	// The machine's counters are sampled per tick and the processes' are not,
	// so "everything else" can come out a little below zero when it is none.
	others := max(0, u.machine.Busy-u.server-u.database-u.self)
	parts = append(parts, "load generator "+s(u.self), "everything else "+s(others))
	fmt.Printf("             %s\n", strings.Join(parts, ", "))
	if committed == 0 || u.server == 0 {
		return
	}
	per := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", d.Seconds()*1000/float64(committed)) }
	fmt.Printf("  per report: server %s CPU, database %s, load generator %s\n", per(u.server), per(u.database), per(u.self))
	if u.machine.Idle < total/10 {
		perReport := (u.server + u.database + u.self).Seconds() / float64(committed)
		fmt.Printf("  estimate:  the cores were busy; with all %d to server, database and load generator alone, about %.0f/s\n",
			u.cores, float64(u.cores)/perReport)
	}
}

// report prints throughput, latency and errors, and returns the number of
// reports committed in the measured period.
func report(cfg config, all []sample, from, to time.Time, elapsed time.Duration, capped bool) int {
	var window []time.Duration
	windowErrs := 0
	errKinds := map[string]int{}
	total := 0
	for _, s := range all {
		if s.err != "" {
			errKinds[s.err]++
		} else {
			total++
		}
		if s.end.Before(from) || s.end.After(to) {
			continue
		}
		if s.err != "" {
			windowErrs++
			continue
		}
		window = append(window, s.latency)
	}
	measured := min(cfg.duration, max(0, elapsed-cfg.warmup))
	fmt.Printf("submit: %d clients, %s warm-up, %s measured, text-only reports\n", cfg.clients, cfg.warmup, cfg.duration)
	if capped {
		fmt.Printf("  note: stopped at -max-requests %d before the period ended\n", cfg.maxRequests)
	}
	fmt.Printf("  committed: %d in the measured period: %.1f/s\n", len(window), float64(len(window))/measured.Seconds())
	fmt.Printf("  latency:   p50 %s  p99 %s  max %s\n", pct(window, 50), pct(window, 99), pct(window, 100))
	fmt.Printf("  errors:    %d in the measured period, %d in all (of %d requests)\n", windowErrs, len(all)-total, len(all))
	kinds := make([]string, 0, len(errKinds))
	for k := range errKinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("    %6d  %s\n", errKinds[k], k)
	}
	return len(window)
}

// pct returns the p-th percentile (nearest rank) of d, sorting it in place.
func pct(d []time.Duration, p int) string {
	if len(d) == 0 {
		return "-"
	}
	slices.Sort(d)
	i := max(0, (len(d)*p+99)/100-1)
	return d[i].Round(100 * time.Microsecond).String()
}

// pickReceipts takes up to n receipts, spread over the clients.
func pickReceipts(per [][]committed, n int) []committed {
	var out []committed
	for i := 0; len(out) < n; i++ {
		added := false
		for _, rs := range per {
			if i < len(rs) && len(out) < n {
				out = append(out, rs[i])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// verify logs in with each receipt, on the next server after the one that
// showed it, and checks that the page shows a status and the report's own
// text.
func verify(client *http.Client, bases []*url.URL, rs []committed) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, r := range rs {
		form := url.Values{"receipt": {r.receipt}}
		base := bases[(r.server+1)%len(bases)]
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/status", strings.NewReader(form.Encode()))
		if err != nil {
			return i, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return i, err
		}
		page, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return i, err
		}
		if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte(`id="status"`)) || !bytes.Contains(page, []byte(r.marker)) {
			return i, fmt.Errorf("receipt %d: HTTP %d, status page without the report's text", i+1, resp.StatusCode)
		}
	}
	return len(rs), nil
}
