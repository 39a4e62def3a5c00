// Command backup measures "tipline backup" and "tipline restore" on a real
// installation served by a running server: it fills the installation with
// reports and files over HTTP, measures submissions/s without a backup, then
// takes a backup while the same clients go on submitting, and compares the
// backup's time and peak memory with the database's own tools (sqlite3
// .backup plus a copy of blobs/, or pg_dump) in the same run. Then it times a
// restore. Every step must succeed: a failed submission fails the run.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"tipline/bench/internal/loopback"
)

func main() {
	site := flag.String("url", "", "the source site of the running server (loopback only)")
	bin := flag.String("bin", "tipline", "the tipline binary")
	data := flag.String("data", "", "the server's data folder")
	dsn := flag.String("db", "", "the server's PostgreSQL DSN, if any")
	reports := flag.Int("reports", 10000, "reports to fill the installation with")
	fileBytes := flag.Int64("file-bytes", 1<<30, "bytes of files across those reports")
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 15*time.Second, "how long to measure submissions/s without a backup")
	work := flag.String("dir", os.TempDir(), "where backups and copies go (a real disk)")
	flag.Parse()
	u, err := loopback.URL(*site)
	if err == nil && *data == "" {
		err = errors.New("-data is required")
	}
	if err == nil {
		err = run(u.String(), *bin, *data, *dsn, *reports, *fileBytes, *clients, *duration, *work)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		os.Exit(1)
	}
}

func run(site, bin, data, dsn string, reports int, fileBytes int64, clients int, duration time.Duration, work string) error {
	each := int(fileBytes / int64(reports))
	fmt.Printf("filling: %d reports with a %d-byte file each (%.2f GiB), %d clients\n", reports, each, float64(each)*float64(reports)/(1<<30), clients)
	start := time.Now()
	var filled atomic.Int64
	failed := submitFor(site, clients, each, func(done int64) bool { return done >= int64(reports) }, nil, &filled)
	if failed > 0 {
		return fmt.Errorf("%d submissions failed while filling", failed)
	}
	fmt.Printf("filled: %d reports in %s\n", filled.Load(), time.Since(start).Round(time.Second))

	// The filling leaves the disk flushing for a while: let it, so that
	// the rate without a backup is not measured against a busy disk.
	if err := measure("sync").err; err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	small := 10 << 10
	before, failed := rate(site, clients, small, duration)
	if failed > 0 {
		return fmt.Errorf("%d submissions failed without a backup", failed)
	}
	fmt.Printf("submissions (10 KiB file) without a backup, before it: %.1f/s over %s\n", before, duration)

	db := append([]string{"--data", data}, dbArgs(dsn)...)
	file := filepath.Join(work, "bench.age")
	var backup result
	stop := make(chan struct{})
	var submitted atomic.Int64
	var duringFailed int64
	var wg sync.WaitGroup
	wg.Go(func() { duringFailed = submitFor(site, clients, small, nil, stop, &submitted) })
	time.Sleep(2 * time.Second) // the clients are up to speed
	from := submitted.Load()
	walStop, walPeak := sampleWAL(data)
	backup = measure(bin, append([]string{"backup", "--to", file}, db...)...)
	close(walStop)
	during := float64(submitted.Load()-from) / backup.wall.Seconds()
	close(stop)
	wg.Wait()
	if backup.err != nil {
		return backup.err
	}
	if duringFailed > 0 {
		return fmt.Errorf("%d submissions failed during the backup", duringFailed)
	}
	if err := measure("sync").err; err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	after, failed := rate(site, clients, small, duration)
	if failed > 0 {
		return fmt.Errorf("%d submissions failed without a backup", failed)
	}
	fmt.Printf("submissions without a backup, after it: %.1f/s over %s\n", after, duration)
	base := (before + after) / 2
	info, _ := os.Stat(file)
	fmt.Printf("tipline backup (nice 10): %s, CPU %s, peak RSS %d MiB, file %.2f GiB\n", backup.wall.Round(10*time.Millisecond), backup.cpu.Round(10*time.Millisecond), backup.maxRSS>>10, float64(info.Size())/(1<<30))
	fmt.Printf("submissions during the backup: %.1f/s = %.0f%% of without (the mean of before and after)\n", during, 100*during/base)
	if dsn == "" {
		fmt.Printf("SQLite WAL during the backup: at most %d MiB\n", <-walPeak>>20)
	}

	var ref result
	if dsn == "" {
		copyDir := filepath.Join(work, "sqlite-copy")
		os.MkdirAll(copyDir, 0o700)
		t0 := time.Now()
		sq := measure("sqlite3", filepath.Join(data, "tipline.db"), ".backup "+filepath.Join(copyDir, "tipline.db"))
		cp := measure("cp", "-r", filepath.Join(data, "blobs"), copyDir)
		if err := errors.Join(sq.err, cp.err, measure("sync").err); err != nil {
			return err
		}
		ref = result{wall: time.Since(t0), cpu: sq.cpu + cp.cpu, maxRSS: max(sq.maxRSS, cp.maxRSS)}
		fmt.Printf("sqlite3 .backup + cp -r blobs/ + sync: %s, CPU %s, peak RSS %d MiB (ratio tipline/reference %.2f)\n", ref.wall.Round(10*time.Millisecond), ref.cpu.Round(10*time.Millisecond), ref.maxRSS>>10, backup.wall.Seconds()/ref.wall.Seconds())
		os.RemoveAll(copyDir)
	} else {
		// pg_dump -Fc compresses by default, which ciphertext defeats;
		// -Z0 is the same dump without it.
		for _, level := range []string{"", "-Z0"} {
			dump := filepath.Join(work, "pg.dump")
			args := []string{"-Fc", "-f", dump, "--dbname", pgDumpDSN(dsn)}
			if level != "" {
				args = append(args, level)
			}
			ref = measure("pg_dump", args...)
			if ref.err == nil {
				ref.err = measure("sync").err
			}
			if ref.err != nil {
				return ref.err
			}
			info, _ := os.Stat(dump)
			fmt.Printf("pg_dump -Fc %s+ sync: %s, CPU %s, peak RSS %d MiB, file %.2f GiB (ratio tipline/pg_dump %.2f)\n", level+strings.Repeat(" ", min(len(level), 1)),
				ref.wall.Round(10*time.Millisecond), ref.cpu.Round(10*time.Millisecond), ref.maxRSS>>10, float64(info.Size())/(1<<30), backup.wall.Seconds()/ref.wall.Seconds())
			os.Remove(dump)
		}
	}

	target := filepath.Join(work, "restored")
	restoreDSN, cleanup, err := emptySchema(dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	restore := measure(bin, append([]string{"restore", "--from", file, "--identity", filepath.Join(data, "recovery-identity.txt"), "--data", target}, dbArgs(restoreDSN)...)...)
	if restore.err != nil {
		return restore.err
	}
	fmt.Printf("tipline restore: %s, CPU %s, peak RSS %d MiB\n", restore.wall.Round(10*time.Millisecond), restore.cpu.Round(10*time.Millisecond), restore.maxRSS>>10)
	os.RemoveAll(target)
	os.Remove(file)
	return nil
}

// sampleWAL follows the size of SQLite's WAL until stop is closed, and
// sends the largest it saw.
func sampleWAL(data string) (chan struct{}, chan int64) {
	stop, peak := make(chan struct{}), make(chan int64, 1)
	go func() {
		var most int64
		for {
			if info, err := os.Stat(filepath.Join(data, "tipline.db-wal")); err == nil {
				most = max(most, info.Size())
			}
			select {
			case <-stop:
				peak <- most
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return stop, peak
}

func dbArgs(dsn string) []string {
	if dsn == "" {
		return nil
	}
	return []string{"--db", dsn}
}

// pgDumpDSN drops the search_path parameter, which libpq does not take.
func pgDumpDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

// emptySchema makes a new schema to restore into, on PostgreSQL.
func emptySchema(dsn string) (string, func(), error) {
	if dsn == "" {
		return "", func() {}, nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	if _, err := db.Exec(`CREATE SCHEMA bench_restore`); err != nil {
		db.Close()
		return "", nil, err
	}
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", "bench_restore")
	u.RawQuery = q.Encode()
	return u.String(), func() { db.Exec(`DROP SCHEMA bench_restore CASCADE`); db.Close() }, nil
}

type result struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS int64         // KiB
	err    error
}

func measure(name string, args ...string) result {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	r := result{wall: time.Since(t0)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		r.maxRSS = ru.Maxrss
		r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if err != nil {
		r.err = fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return r
}

// rate is submissions/s over d.
func rate(site string, clients, size int, d time.Duration) (float64, int64) {
	stop := make(chan struct{})
	time.AfterFunc(d, func() { close(stop) })
	t0 := time.Now()
	var n atomic.Int64
	failed := submitFor(site, clients, size, nil, stop, &n)
	return float64(n.Load()) / time.Since(t0).Seconds(), failed
}

// submitFor submits reports with a random file of size bytes from clients
// until enough says so or stop is closed, counting the reports receipted in
// done; it returns the submissions that failed.
func submitFor(site string, clients, size int, enough func(int64) bool, stop chan struct{}, done *atomic.Int64) int64 {
	var failed atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Minute}
	for i := range clients {
		wg.Go(func() {
			file := make([]byte, size)
			for n := 0; ; n++ {
				if stop != nil {
					select {
					case <-stop:
						return
					default:
					}
				}
				if enough != nil && enough(done.Load()) {
					return
				}
				rand.Read(file)
				if err := submit(client, site, fmt.Sprintf("bench client %d report %d", i, n), file); err != nil {
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return failed.Load()
}

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]*)</p>`)

func submit(client *http.Client, site, message string, file []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", message)
	mw.WriteField("send_others_as_is", "1")
	w, _ := mw.CreateFormFile("attachment", "evidence.bin")
	w.Write(file)
	mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", site+"/submit", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !receiptPattern.Match(page) {
		return fmt.Errorf("submit: %d", resp.StatusCode)
	}
	return nil
}
