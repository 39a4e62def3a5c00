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
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

var testKey = bytes.Repeat([]byte{7}, 32)

func newLog(t testing.TB, s *store.Store) *audit.Log {
	t.Helper()
	l, err := audit.New(s, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func record(t testing.TB, l *audit.Log, n int) {
	t.Helper()
	for i := range n {
		e := audit.Event{Actor: "user:analyst", Action: "tip.read", Detail: fmt.Sprint("read ", i+1)}
		if i%3 == 0 {
			e.TipID = "tip-a"
		}
		if err := l.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// rawDB opens the backend's database behind the store's back, as an attacker
// with database access would.
func rawDB(t *testing.T, b storetest.Backend) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", b.DSN
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestVerifyIntact(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		rep, err := l.Verify(ctx, "")
		if err != nil || rep.Entries != 0 || rep.Head != audit.Genesis {
			t.Fatalf("empty log: %+v, %v", rep, err)
		}
		record(t, l, 5)
		early, err := l.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		record(t, l, 5)
		head, err := l.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"", early, head, audit.Genesis} {
			rep, err := l.Verify(ctx, h)
			if err != nil || rep.Entries != 10 || rep.Head != head || rep.Damage != nil {
				t.Fatalf("verify with head %q: %+v, %v", h, rep, err)
			}
		}
	})
}

// Each way of tampering with the table is named, at the right entry.
func TestVerifyNamesTheFirstBadEntry(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB)
		seq    int64
		kind   audit.Kind
	}{
		{"detail altered", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 4`)
		}, 4, audit.Altered},
		{"actor altered", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 6`)
		}, 6, audit.Altered},
		{"tip id removed", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET tip_id = NULL WHERE seq = 7`)
		}, 7, audit.Altered},
		{"row removed", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
		}, 3, audit.Removed},
		{"first row removed", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, audit.Removed},
		{"rows swapped", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = 2`,
				`UPDATE audit_log SET seq = 2 WHERE seq = 5`, `UPDATE audit_log SET seq = 5 WHERE seq = -1`)
		}, 2, audit.Reordered},
		{"neighbours swapped", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = 8`,
				`UPDATE audit_log SET seq = 8 WHERE seq = 9`, `UPDATE audit_log SET seq = 9 WHERE seq = -1`)
		}, 8, audit.Reordered},
		{"renumbered over a removed row", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
			for k := 4; k <= 10; k++ {
				mustExec(t, db, fmt.Sprintf(`UPDATE audit_log SET seq = %d WHERE seq = %d`, k-1, k))
			}
		}, 3, audit.Reordered},
		{"signature replaced", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET mac = hash WHERE seq = 2`)
		}, 2, audit.BadSignature},
		{"chain recomputed without the key", func(t *testing.T, db *sql.DB) {
			mustExec(t, db, `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 5`)
			recomputeFrom(t, db, 5)
		}, 5, audit.BadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
				l := newLog(t, s)
				record(t, l, 10)
				tt.tamper(t, rawDB(t, b))
				rep, err := l.Verify(context.Background(), "")
				var d *audit.Damage
				if !errors.As(err, &d) || d != rep.Damage {
					t.Fatalf("Verify = %+v, %v; want damage", rep, err)
				}
				if d.Seq != tt.seq || d.Kind != tt.kind {
					t.Fatalf("got %v; want entry %d %s", d, tt.seq, tt.kind)
				}
				if rep.Entries != tt.seq-1 {
					t.Fatalf("report counts %d intact entries, want %d", rep.Entries, tt.seq-1)
				}
			})
		})
	}
}

// recomputeFrom rewrites the chain from seq on with correct hashes and links,
// as an attacker who knows the algorithm but not the key would; the MACs
// they can make are under a key of their own.
func recomputeFrom(t *testing.T, db *sql.DB, from int64) {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor, action, tip_id, detail, prev_hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var tipID sql.NullString
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &tipID, &e.Detail, &e.PrevHash); err != nil {
			t.Fatal(err)
		}
		e.TipID = tipID.String
		entries = append(entries, e)
	}
	rows.Close()
	prev := audit.Genesis
	for _, e := range entries {
		if e.Seq >= from {
			e.PrevHash = prev
			e.Hash = audit.Hash(e)
			mustExec(t, db, fmt.Sprintf(`UPDATE audit_log SET prev_hash = '%s', hash = '%s', mac = '%s' WHERE seq = %d`,
				e.PrevHash, e.Hash, attackerMAC(e.Hash), e.Seq))
		}
		prev = audit.Hash(e)
	}
}

func attackerMAC(hash string) string {
	m := hmac.New(sha256.New, bytes.Repeat([]byte{9}, 32))
	m.Write([]byte(hash))
	return hex.EncodeToString(m.Sum(nil))
}

// Cutting off the newest entries leaves an intact chain: only a head
// recorded earlier shows it.
func TestVerifyTruncatedTail(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		record(t, l, 6)
		head, err := l.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log WHERE seq > 4`)
		if _, err := l.Verify(ctx, ""); err != nil {
			t.Fatalf("without a head, a cut chain still verifies: %v", err)
		}
		rep, err := l.Verify(ctx, head)
		var d *audit.Damage
		if !errors.As(err, &d) || d.Kind != audit.Truncated || d.Seq != 5 || rep.Entries != 4 {
			t.Fatalf("Verify = %+v, %v; want entry 5 truncated", rep, err)
		}
		mustExec(t, rawDB(t, b), `DELETE FROM audit_log`)
		if _, err := l.Verify(ctx, head); !errors.As(err, &d) || d.Kind != audit.Truncated || d.Seq != 1 {
			t.Fatalf("emptied log: %v; want entry 1 truncated", err)
		}
	})
}

func TestVerifyWithAnotherKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		record(t, newLog(t, s), 3)
		other, err := audit.New(s, bytes.Repeat([]byte{8}, 32))
		if err != nil {
			t.Fatal(err)
		}
		var d *audit.Damage
		if _, err := other.Verify(context.Background(), ""); !errors.As(err, &d) || d.Kind != audit.BadSignature || d.Seq != 1 {
			t.Fatalf("got %v; want entry 1 bad signature", err)
		}
	})
}

func TestAttachedEventCommitsWithTheWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		l := newLog(t, s)
		failing, err := l.Attach(ctx, audit.Event{Actor: "user:a", Action: "tip.status", TipID: "t", Detail: "new -> triage"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(failing, "no-such-tip", "no-such-status"); err == nil {
			t.Fatal("the status of a report that does not exist was set")
		}
		done, err := l.Attach(ctx, audit.Event{Actor: "user:a", Action: "session.end", Detail: "user:b"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EndDeskSessions(done, "b", ""); err != nil {
			t.Fatal(err)
		}
		rep, err := l.Verify(ctx, "")
		if err != nil || rep.Entries != 1 {
			t.Fatalf("%+v, %v; want one entry", rep, err)
		}
		page, err := s.ListAudit(ctx, store.AuditFilter{})
		if err != nil || len(page) != 1 || page[0].Action != "session.end" {
			t.Fatalf("%+v, %v", page, err)
		}
		if _, err := l.Attach(ctx, audit.Event{Actor: "user:a", Action: "Not An Action"}); err == nil {
			t.Fatal("an invalid event was attached")
		}
	})
}

// Several app servers, each with its own Log and connections, record at
// once; the chain must verify with every entry in it.
func TestConcurrentRecordsVerify(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		logs := []*audit.Log{newLog(t, s)}
		for range 2 {
			other, err := store.Open(ctx, b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			logs = append(logs, newLog(t, other))
		}
		const workers, each = 9, 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failures []string
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					err := logs[w%len(logs)].Record(ctx, audit.Event{Actor: fmt.Sprint("user:", w), Action: "tip.read", Detail: fmt.Sprint(i)})
					if err != nil {
						mu.Lock()
						failures = append(failures, err.Error())
						mu.Unlock()
						return
					}
				}
			})
		}
		wg.Wait()
		if len(failures) > 0 {
			t.Fatal(strings.Join(failures, "\n"))
		}
		rep, err := logs[1].Verify(ctx, "")
		if err != nil || rep.Entries != workers*each {
			t.Fatalf("%+v, %v; want %d intact entries", rep, err, workers*each)
		}
	})
}

// Rows forged outside the chain's numbering, before or after it, are not
// skipped: the auditor's page would show them.
func TestVerifyFindsForgedRows(t *testing.T) {
	for _, seq := range []int64{0, -5, 11} {
		t.Run(fmt.Sprint(seq), func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
				l := newLog(t, s)
				record(t, l, 10)
				mustExec(t, rawDB(t, b), fmt.Sprintf(`INSERT INTO audit_log (seq, at, actor, action, tip_id, detail, prev_hash, hash, mac)
					SELECT %d, at, 'user:nobody', action, tip_id, detail, prev_hash, hash, mac FROM audit_log WHERE seq = 10`, seq))
				var d *audit.Damage
				if _, err := l.Verify(context.Background(), ""); !errors.As(err, &d) || d.Seq != seq {
					t.Fatalf("got %v; want damage at %d", err, seq)
				}
			})
		})
	}
}
