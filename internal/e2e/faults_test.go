package e2e_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tipline/internal/testenv"
	"tipline/internal/web"
)

// Two servers on one PostgreSQL take reports from sources in every language.
// One is killed with SIGKILL mid-load: the other keeps serving. Then
// PostgreSQL stops mid-load: sources get the 503 page in their language
// within seconds, never a 500, never a hang; and when it starts again the
// surviving server takes reports again by itself. Every receipt either server
// showed opens its report afterwards.
func TestTwoServersThroughAKillAndADatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and two real servers")
	}
	pg := startPostgres(t)
	bin := buildTipline(t)
	args := dataArgs(t.TempDir(), pg.dsn)
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	metricsAddr := freeAddr(t)
	killed, survivor := startTipline(t, bin, args), startTipline(t, bin, append(args, "--metrics", metricsAddr))
	catalogs, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	outagePage := map[string]string{}
	for _, l := range web.Languages {
		outagePage[l.Prefix] = html.EscapeString(catalogs.For(l.Code).T("error_unavailable"))
	}

	load := startFaultLoad(outagePage, map[string]*tiplineProcess{"killed": killed, "survivor": survivor}, 6)
	defer load.stop()
	load.await(t, "survivor", 40)
	load.await(t, "killed", 40)

	load.gone("killed")
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.cmd.Wait()
	before := load.count("survivor")
	load.await(t, "survivor", before+40)

	stopped := time.Now()
	pg.stop(t)
	outageSeen := load.awaitOutage(t, 10*time.Second)
	t.Logf("first 503 %v after PostgreSQL was told to stop", outageSeen.Sub(stopped).Round(time.Millisecond))
	if status, text := readyz(t, metricsAddr); status != http.StatusServiceUnavailable || !strings.Contains(text, "the database does not answer") {
		t.Errorf("/readyz while PostgreSQL is stopped: %d %q, want 503 saying the database does not answer", status, text)
	}
	time.Sleep(3 * time.Second) // sources keep trying while it is down
	pg.start(t)
	restarted := time.Now()
	during := load.count("survivor")
	load.await(t, "survivor", during+40)
	t.Logf("reports taken again %v after PostgreSQL started", time.Since(restarted).Round(time.Millisecond))
	// No list is loaded here, so it is still not ready: but not for the database.
	if _, text := readyz(t, metricsAddr); strings.Contains(text, "database") {
		t.Errorf("/readyz once PostgreSQL is back: %q", text)
	}

	load.stop()
	if bad := load.badAnswers(); len(bad) > 0 {
		t.Fatalf("%d answers were neither a receipt nor the localised 503 page, e.g. %s\nthe surviving server's log:\n%s", len(bad), bad[0], survivor.output())
	}
	if slowest := load.slowest(); slowest > 10*time.Second {
		t.Errorf("an answer took %v: sources must be told within seconds", slowest)
	}
	// An outage is logged as one (WARN, once in a while), not as errors.
	if out := survivor.output(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "the database does not answer") {
		t.Errorf("the outage was not logged as an outage:\n%s", out)
	}
	receipts := load.all()
	for _, r := range receipts {
		page, err := crashStatus(survivor.url+r.prefix, r.receipt)
		if err != nil || !strings.Contains(page, r.nonce) {
			t.Fatalf("receipt shown by the %s server (%q) does not open its report (%v)", r.server, r.nonce, err)
		}
	}
	t.Logf("%d receipts shown, all open; %d answers were 503 pages", len(receipts), load.outageAnswers())
}

func readyz(t *testing.T, addr string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// faultLoad is sources posting reports with a file to several servers, each
// client to one server, in one of the four languages.
type faultLoad struct {
	pages map[string]string // language prefix -> the outage page's text
	done  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once

	mu       sync.Mutex
	receipts []faultReceipt
	counts   map[string]int
	killed   map[string]bool // servers killed on purpose: their clients stop
	bad      []string        // answers that were neither a receipt nor a 503 page
	outages  int
	firstOut time.Time
	slow     time.Duration
}

type faultReceipt struct{ server, prefix, receipt, nonce string }

func startFaultLoad(pages map[string]string, servers map[string]*tiplineProcess, clientsEach int) *faultLoad {
	l := &faultLoad{pages: pages, done: make(chan struct{}), counts: map[string]int{}, killed: map[string]bool{}}
	prefixes := []string{}
	for _, lang := range web.Languages {
		prefixes = append(prefixes, lang.Prefix)
	}
	for name, srv := range servers {
		for i := range clientsEach {
			prefix := prefixes[i%len(prefixes)]
			l.wg.Go(func() { l.client(name, srv, prefix, i) })
		}
	}
	return l
}

func (l *faultLoad) client(server string, srv *tiplineProcess, prefix string, i int) {
	client := &http.Client{Timeout: 30 * time.Second}
	for n := 0; ; n++ {
		select {
		case <-l.done:
			return
		default:
		}
		nonce := fmt.Sprintf("fault %s client %d report %d", server, i, n)
		start := time.Now()
		status, page, err := faultSubmit(client, srv.url+prefix, nonce)
		took := time.Since(start)
		if err != nil {
			gone := false
			l.note(func() {
				if gone = l.killed[server]; !gone {
					l.bad = append(l.bad, fmt.Sprintf("%s: %v", server, err))
				}
			})
			if gone {
				return
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		l.note(func() {
			l.slow = max(l.slow, took)
			m := crashReceiptPattern.FindStringSubmatch(page)
			switch {
			case status == http.StatusOK && m != nil:
				l.receipts = append(l.receipts, faultReceipt{server, prefix, m[1], nonce})
				l.counts[server]++
			case status == http.StatusServiceUnavailable && strings.Contains(page, l.pages[prefix]) && m == nil:
				l.outages++
				if l.firstOut.IsZero() {
					l.firstOut = time.Now()
				}
			default:
				l.bad = append(l.bad, fmt.Sprintf("%s%s: HTTP %d:\n%s", server, prefix, status, page))
			}
		})
		if status == http.StatusServiceUnavailable {
			time.Sleep(100 * time.Millisecond) // a source tries again a little later
		}
	}
}

// gone says a server is about to be killed: its clients' failures from now
// on are expected.
func (l *faultLoad) gone(server string) { l.note(func() { l.killed[server] = true }) }

func (l *faultLoad) note(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f()
}

func (l *faultLoad) count(server string) (n int) {
	l.note(func() { n = l.counts[server] })
	return n
}

func (l *faultLoad) await(t *testing.T, server string, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); l.count(server) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the %s server showed only %d receipts in 30 s, waiting for %d; bad answers: %v", server, l.count(server), n, l.badAnswers())
		}
	}
}

// awaitOutage waits for the first 503 page and returns when it came.
func (l *faultLoad) awaitOutage(t *testing.T, within time.Duration) time.Time {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		var first time.Time
		l.note(func() { first = l.firstOut })
		if !first.IsZero() {
			return first
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 503 page within %v of PostgreSQL stopping; bad answers: %v", within, l.badAnswers())
		}
	}
}

func (l *faultLoad) stop() {
	l.once.Do(func() { close(l.done) })
	l.wg.Wait()
}

func (l *faultLoad) all() (out []faultReceipt) {
	l.note(func() { out = append(out, l.receipts...) })
	return out
}

func (l *faultLoad) badAnswers() (out []string) {
	l.note(func() { out = append(out, l.bad...) })
	return out
}

func (l *faultLoad) slowest() (d time.Duration) {
	l.note(func() { d = l.slow })
	return d
}

func (l *faultLoad) outageAnswers() (n int) {
	l.note(func() { n = l.outages })
	return n
}

// faultSubmit posts a report with a small file and returns the answer.
func faultSubmit(client *http.Client, base, nonce string) (int, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", nonce)
	w, _ := mw.CreateFormFile("attachment", "evidence.txt")
	fmt.Fprintf(w, "evidence for %s\n%s", nonce, strings.Repeat("log line\n", 500))
	mw.Close()
	resp, err := client.Post(base+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page), err
}

// postgresCluster is a PostgreSQL cluster of the test's own, which it may
// stop and start: the one scripts/test starts is shared by other tests.
type postgresCluster struct {
	bin, dir, port, dsn string
}

func startPostgres(t *testing.T) *postgresCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		testenv.SkipOrFail(t, "PostgreSQL's server is not installed (apt-get install postgresql)")
	}
	dir, err := os.MkdirTemp("", "tipline-faults-pg")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(freeAddr(t), ":")
	pg := &postgresCluster{bin: filepath.Dir(bins[len(bins)-1]), dir: dir, port: port,
		dsn: "postgres://tipline@127.0.0.1:" + port + "/postgres?sslmode=disable"}
	if os.Getuid() == 0 {
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v\n%s", err, out)
		}
	}
	t.Cleanup(func() {
		pg.ctl("stop", "-m", "immediate").Run()
		os.RemoveAll(dir)
	})
	if out, err := pg.asPostgres(filepath.Join(pg.bin, "initdb"), "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "tipline").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg.start(t)
	return pg
}

func (pg *postgresCluster) asPostgres(name string, args ...string) *exec.Cmd {
	if os.Getuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (pg *postgresCluster) ctl(args ...string) *exec.Cmd {
	return pg.asPostgres(filepath.Join(pg.bin, "pg_ctl"), append([]string{"-D", filepath.Join(pg.dir, "data"), "-w"}, args...)...)
}

func (pg *postgresCluster) start(t *testing.T) {
	t.Helper()
	cmd := pg.ctl("-l", filepath.Join(pg.dir, "log"), "-o", "-p "+pg.port+" -k "+pg.dir+" -c listen_addresses=127.0.0.1", "start")
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stop stops the server as an operator would, ending its sessions.
func (pg *postgresCluster) stop(t *testing.T) {
	t.Helper()
	if out, err := pg.ctl("stop", "-m", "fast").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}
