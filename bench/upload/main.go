// Command upload measures a large upload through a running Tipline source
// site: how much the server's memory grows while it takes the file, and how
// fast it takes it compared with the age command encrypting the same file to
// the same disk.
//
// It writes a file of random bytes into -dir (put it on the disk that holds
// the server's data), then, -runs times and interleaved so that a change in
// the machine's load hits both alike:
//
//   - times reading the file and copying it with an fsync: the page cache's
//     pace and the disk's;
//   - times `age -r RECIPIENT -o DIR/out.age FILE` (a fresh age-keygen
//     recipient), and separately the fsync of its output;
//   - posts the file to /submit as one attachment with send_others_as_is=1,
//     streamed from disk (the request body is the open file between two
//     small multipart headers, never the file in memory), while sampling the
//     server's /proc/PID/status every few milliseconds.
//
// Memory growth is the server's peak resident set during an upload (VmHWM,
// reset before each run through /proc/PID/clear_refs, and cross-checked with
// the sampled VmRSS) minus its resident set when idle before the first
// upload. It talks only to loopback addresses, and every step has a time
// limit.
//
//	upload -url http://127.0.0.1:8080 -pid 1234 -dir /var/tmp/bench -size 1073741824
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tipline/bench/internal/loopback"
	"tipline/bench/internal/proc"
)

func main() {
	cfg := config{}
	flag.StringVar(&cfg.base, "url", "", "the source site, e.g. http://127.0.0.1:8080 (loopback only)")
	flag.IntVar(&cfg.pid, "pid", 0, "the server's process id, to read its memory in /proc")
	flag.StringVar(&cfg.dir, "dir", "", "a folder on the same disk as the server's data, for the test file and age's output")
	flag.Int64Var(&cfg.size, "size", 1<<30, "size of the test file in bytes")
	flag.IntVar(&cfg.runs, "runs", 3, "rounds of (age, upload); medians are reported")
	flag.StringVar(&cfg.age, "age", "age", "the age command")
	flag.StringVar(&cfg.ageKeygen, "age-keygen", "age-keygen", "the age-keygen command")
	flag.DurationVar(&cfg.timeout, "timeout", 20*time.Minute, "longest time for one upload or one age run")
	flag.DurationVar(&cfg.every, "sample-every", 5*time.Millisecond, "how often to sample the server's memory")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "upload: error: %v\n", err)
		os.Exit(1)
	}
}

type config struct {
	base           string
	pid            int
	dir            string
	size           int64
	runs           int
	age, ageKeygen string
	timeout        time.Duration
	every          time.Duration
}

// round is what one (age, upload) round measured.
type round struct {
	age, ageFsync, upload time.Duration
	read                  time.Duration // reading the file, as `cat file >/dev/null` would
	copy                  time.Duration // copying it to the same disk and fsyncing: the disk's pace
	rssBefore             int64         // server VmRSS just before the upload
	hwm                   int64         // server VmHWM after the upload (reset before it)
	sampledPeak           int64         // largest sampled VmRSS during the upload
	sampledAnonPeak       int64         // largest sampled RssAnon during the upload
	serverCPU             time.Duration // server user+system time during the upload
	serverWrote           int64         // bytes the server caused to be written to disk
	ageCPU                time.Duration
	otherCPU              time.Duration // CPU time of every other process during the upload
	clientCPU             time.Duration // this tool's CPU time during the upload: the client's share of the cores
}

func run(cfg config) error {
	base, err := loopback.URL(cfg.base)
	if err != nil {
		return err
	}
	if cfg.pid <= 0 || cfg.dir == "" || cfg.runs < 1 || cfg.size <= 0 {
		return errors.New("need -pid, -dir, -runs >= 1 and -size > 0")
	}
	if _, err := proc.ReadMemory(cfg.pid); err != nil {
		return fmt.Errorf("cannot read the server's memory: %w", err)
	}
	file := filepath.Join(cfg.dir, "upload.bin")
	fmt.Printf("upload: writing %d random bytes to %s\n", cfg.size, file)
	if err := writeRandomFile(file, cfg.size); err != nil {
		return err
	}
	defer os.Remove(file)
	recipient, err := newRecipient(cfg)
	if err != nil {
		return err
	}

	idle, err := proc.ReadMemory(cfg.pid)
	if err != nil {
		return err
	}
	var rounds []round
	for i := range cfg.runs {
		var r round
		if r.read, err = timeRead(file); err != nil {
			return err
		}
		if r.copy, err = timeCopy(file); err != nil {
			return err
		}
		if err := timeAge(cfg, recipient, file, &r); err != nil {
			return err
		}
		if err := timeUpload(cfg, base, file, &r); err != nil {
			return fmt.Errorf("upload %d: %w", i+1, err)
		}
		printRound(i+1, cfg.size, r, idle.RSS)
		rounds = append(rounds, r)
	}
	summarise(cfg, rounds, idle.RSS)
	return nil
}
