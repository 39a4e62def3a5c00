package audit_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// anchorTwice records 6 entries and anchors, then 4 more and anchors again:
// anchors of entries 6 and 10, on lines 3 and 4 of the file (after its
// two-line header).
func anchorTwice(t *testing.T, l *audit.Log) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "anchors")
	f, err := audit.OpenAnchorFile(l, path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, n := range []int{6, 4} {
		record(t, l, n)
		if _, err := f.Append(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func readAnchors(t *testing.T, path string) []audit.Anchor {
	t.Helper()
	anchors, err := audit.ReadAnchorFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return anchors
}

func TestAnchorsOfAnIntactLogVerify(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		l := newLog(t, s)
		path := anchorTwice(t, l)
		anchors := readAnchors(t, path)
		if len(anchors) != 2 || anchors[0].Seq != 6 || anchors[1].Seq != 10 || anchors[1].Line != 4 {
			t.Fatalf("anchors %+v; want entries 6 and 10 on lines 3 and 4", anchors)
		}
		record(t, l, 3) // entries after the last anchor are no damage
		rep, err := l.VerifyAnchors(context.Background(), "", anchors)
		if err != nil || rep.Entries != 13 {
			t.Fatalf("intact log with anchors: %+v, %v", rep, err)
		}
	})
}

// Deleting the newest rows leaves a chain that verifies on its own; its
// anchors catch it, and the error names the anchor.
func TestAnchorsCatchATruncatedLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		anchors := readAnchors(t, anchorTwice(t, l))
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log WHERE seq > 8`)
		if _, err := l.Verify(ctx, ""); err != nil {
			t.Fatalf("the cut chain should verify on its own: %v", err)
		}
		_, err := l.VerifyAnchors(ctx, "", anchors)
		var d *audit.Damage
		if !errors.As(err, &d) || d.Kind != audit.Truncated || d.Seq != 9 ||
			!strings.Contains(err.Error(), "the anchor on line 4") || !strings.Contains(err.Error(), "recorded entry 10") {
			t.Fatalf("want entry 9 truncated, naming the anchor on line 4; got %v", err)
		}
	})
}

// Someone who holds the key file can rewrite an entry and sign the chain
// anew: it verifies on its own, and only an anchor written before shows it.
func TestAnchorsCatchALogRewrittenWithTheKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		anchors := readAnchors(t, anchorTwice(t, l))
		db := rawDB(t, b)
		mustExec(t, db, `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4`)
		resignFrom(t, db, 4)
		if _, err := l.Verify(ctx, ""); err != nil {
			t.Fatalf("the re-signed chain should verify on its own: %v", err)
		}
		_, err := l.VerifyAnchors(ctx, "", anchors)
		var d *audit.Damage
		if !errors.As(err, &d) || d.Kind != audit.Rewritten || d.Seq != 6 || !strings.Contains(err.Error(), "the anchor on line 3") {
			t.Fatalf("want entry 6 rewritten, naming the anchor on line 3; got %v", err)
		}
	})
}

// An anchor line that the audit key did not sign — edited, or from another
// installation — is refused, by line; so is a line that is not an anchor.
func TestForgedOrGarbledAnchorsAreRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		l := newLog(t, s)
		path := anchorTwice(t, l)
		text, _ := os.ReadFile(path)
		lines := strings.Split(string(text), "\n")
		lines[3] = strings.Replace(lines[3], "seq=10", "seq=9", 1)
		forged := filepath.Join(t.TempDir(), "forged")
		os.WriteFile(forged, []byte(strings.Join(lines, "\n")), 0o600)
		_, err := l.VerifyAnchors(context.Background(), "", readAnchors(t, forged))
		if !errors.Is(err, audit.ErrAnchorNotSigned) || !strings.Contains(err.Error(), "line 4") {
			t.Fatalf("an edited anchor: %v", err)
		}
		if _, err := audit.OpenAnchorFile(l, forged); !errors.Is(err, audit.ErrAnchorNotSigned) {
			t.Fatalf("serve must not append to a file with an edited anchor: %v", err)
		}
		if _, err := audit.ReadAnchors(strings.NewReader("# header\n\ntipline-audit-anchor v1 seq=3 time=2026")); err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Fatalf("a cut line: %v", err)
		}
	})
}

// A running server's anchoring finds a cut chain itself: Append refuses,
// and appends nothing.
func TestAppendStopsAtATruncatedLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		path := anchorTwice(t, l)
		f, err := audit.OpenAnchorFile(l, path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log WHERE seq > 8`)
		record(t, l, 5) // new entries hide nothing: entry 10 is another now
		before, _ := os.ReadFile(path)
		_, err = f.Append(ctx, true)
		var d *audit.Damage
		if !errors.As(err, &d) || d.Kind != audit.Rewritten || d.Seq != 10 {
			t.Fatalf("want entry 10 rewritten, got %v", err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Fatal("an anchor was appended to a chain that lost its anchored entries")
		}
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log WHERE seq > 8`)
		if _, err := f.Append(ctx, true); !errors.As(err, &d) || d.Kind != audit.Truncated {
			t.Fatalf("want truncated, got %v", err)
		}
	})
}

// Run anchors at start and when it is stopped, and says loudly, at start,
// that a chain no longer holds the file's anchors.
func TestRunAnchorsAtStartAndStopAndReportsDamage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		l := newLog(t, s)
		path := anchorTwice(t, l)
		// run runs the anchoring until its start is done — an anchor
		// appended, or an error logged — then stops it.
		run := func() string {
			f, err := audit.OpenAnchorFile(l, path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			logs := &syncBuffer{}
			started := len(readAnchors(t, path))
			ctx, stop := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				f.Run(ctx, time.Hour, slog.New(slog.NewTextHandler(logs, nil)))
			}()
			for deadline := time.Now().Add(10 * time.Second); len(readAnchors(t, path)) == started && !strings.Contains(logs.String(), "ERROR"); {
				if time.Now().After(deadline) {
					t.Fatal("Run neither anchored nor logged an error at start")
				}
				time.Sleep(10 * time.Millisecond)
			}
			stop()
			<-done
			return logs.String()
		}
		if logs := run(); strings.Contains(logs, "ERROR") || !strings.Contains(logs, "audit log anchored") {
			t.Fatalf("an intact log: %s", logs)
		}
		if anchors := readAnchors(t, path); len(anchors) != 4 || anchors[3].Seq != 10 {
			t.Fatalf("want the start and stop anchors of entry 10 appended: %+v", anchors)
		}
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log WHERE seq > 7`)
		logs := run()
		if !strings.Contains(logs, "AUDIT LOG DAMAGED") || !strings.Contains(logs, "entry 8: truncated") || !strings.Contains(logs, "level=ERROR") {
			t.Fatalf("a truncated log was not reported: %s", logs)
		}
		if len(readAnchors(t, path)) != 4 {
			t.Fatal("anchors were appended to a truncated log")
		}
	})
}

// resignFrom rewrites the chain from seq on, hashed and signed with the
// audit key itself: what someone who read the key file can do.
func resignFrom(t *testing.T, db *sql.DB, from int64) {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor, action, tip_id, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var tipID sql.NullString
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &tipID, &e.Detail); err != nil {
			t.Fatal(err)
		}
		e.TipID = tipID.String
		entries = append(entries, e)
	}
	rows.Close()
	prev := audit.Genesis
	for _, e := range entries {
		e.PrevHash = prev
		prev = audit.Hash(e)
		if e.Seq < from {
			continue
		}
		m := hmac.New(sha256.New, testKey)
		m.Write([]byte("tipline audit mac v1\n" + prev))
		mustExec(t, db, fmt.Sprintf(`UPDATE audit_log SET prev_hash = '%s', hash = '%s', mac = '%s' WHERE seq = %d`,
			e.PrevHash, prev, hex.EncodeToString(m.Sum(nil)), e.Seq))
	}
}

// syncBuffer is a bytes.Buffer safe to write from Run's goroutine while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
