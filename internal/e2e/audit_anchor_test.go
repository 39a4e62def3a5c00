package e2e_test

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// The real server anchors the audit log's head when it starts and when it
// stops; after rows are cut from the log, audit verify --anchors fails
// naming the anchor, and the server, started again, says so at once.
func TestServeAnchorsTheAuditLog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	anchors := filepath.Join(t.TempDir(), "audit-anchors")
	run := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("", "init", "--data", b.DataDir); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	serve := []string{"--data", b.DataDir, "--audit-anchor", anchors}
	srv := startTipline(t, bin, serve)
	waitForOutput(t, srv, "audit log anchored")
	for _, name := range []string{"kim", "lee"} { // one audit entry each
		if out, err := run("a long passphrase for "+name, "user", "add", "--data", b.DataDir, "--name", name, "--role", "analyst"); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
	text, _ := os.ReadFile(anchors)
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	if len(lines) != 4 || !strings.Contains(lines[2], " seq=0 ") || !strings.Contains(lines[3], " seq=2 ") {
		t.Fatalf("want a header, the start anchor (empty log) and the shutdown anchor (2 entries):\n%s", text)
	}
	if out, err := run("", "audit", "verify", "--data", b.DataDir, "--anchors", anchors); err != nil || !strings.Contains(out, "holds all 2 anchors") {
		t.Fatalf("an intact log: %v\n%s", err, out)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if out, err := run("", "audit", "verify", "--data", b.DataDir); err != nil {
		t.Fatalf("the cut chain verifies on its own, which is why anchors exist: %v\n%s", err, out)
	}
	out, err := run("", "audit", "verify", "--data", b.DataDir, "--anchors", anchors)
	if err == nil || !strings.Contains(out, "entry 2: truncated") || !strings.Contains(out, "the anchor on line 4") {
		t.Fatalf("want entry 2 truncated, naming the anchor on line 4: %v\n%s", err, out)
	}
	srv = startTipline(t, bin, serve)
	waitForOutput(t, srv, "AUDIT LOG DAMAGED")
}

// waitForOutput waits until the server has printed want.
func waitForOutput(t *testing.T, srv *tiplineProcess, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(srv.output(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server never printed %q:\n%s", want, srv.output())
		}
	}
}
