// Package tortest runs a real Tor for tests: offline (DisableNetwork 1),
// with its own data folder and control port.
package tortest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"tipline/internal/testenv"
)

// Tor is a real Tor with the network off, its own data folder and a
// control port, the way the source site's operator runs one.
type Tor struct {
	t       *testing.T
	dir     string
	Control string // the control port, host:port
	extra   []string
	cmd     *exec.Cmd
	exited  chan struct{}
	Log     *bytes.Buffer // what Tor printed
}

// Start starts Tor with extra arguments (for authentication), or skips the
// test when tor is not installed — fails it in CI, which installs it.
func Start(t *testing.T, extra ...string) *Tor {
	t.Helper()
	testenv.Need(t, "tor")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	control := l.Addr().String()
	l.Close()
	tr := &Tor{t: t, dir: t.TempDir(), Control: control, extra: extra}
	tr.start()
	return tr
}

func (tr *Tor) start() {
	tr.t.Helper()
	_, port, _ := net.SplitHostPort(tr.Control)
	torrc := filepath.Join(tr.dir, "torrc")
	if err := os.WriteFile(torrc, nil, 0o600); err != nil {
		tr.t.Fatal(err)
	}
	args := append([]string{"-f", torrc, "--DataDirectory", tr.dir, "--DisableNetwork", "1", "--SocksPort", "0",
		"--ControlPort", "127.0.0.1:" + port, "--Log", "notice stdout"}, tr.extra...)
	tr.Log = &bytes.Buffer{}
	tr.cmd = exec.Command("tor", args...)
	tr.cmd.Stdout, tr.cmd.Stderr = tr.Log, tr.Log
	if err := tr.cmd.Start(); err != nil {
		tr.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { tr.cmd.Wait(); close(exited) }()
	tr.exited = exited
	tr.t.Cleanup(tr.Stop)
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			tr.t.Fatalf("tor exited:\n%s", tr.Log)
		default:
		}
		if c, err := net.Dial("tcp", tr.Control); err == nil {
			c.Close()
			return
		}
	}
	tr.t.Fatalf("tor did not open its control port:\n%s", tr.Log)
}

// Stop kills Tor.
func (tr *Tor) Stop() {
	tr.cmd.Process.Kill()
	<-tr.exited
}

// Restart stops Tor and starts it again on the same control port.
func (tr *Tor) Restart() {
	tr.t.Helper()
	tr.Stop()
	tr.start()
}
