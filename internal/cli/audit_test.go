package cli_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/audit"
	"tipline/internal/cli"
	"tipline/internal/install"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// auditInstall creates an installation on b with n audit entries and
// returns its head and a raw handle on its database, for tampering.
func auditInstall(t *testing.T, b storetest.Backend, n int) (string, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := install.Init(ctx, install.Options{DataDir: b.DataDir, DSN: b.DSN}); err != nil {
		t.Fatal(err)
	}
	keys, err := install.Load(b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		e := audit.Event{Actor: "user:analyst", Action: "tip.status", TipID: "tip-1", Detail: fmt.Sprintf("change %d", i+1)}
		if err := log.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	head, err := log.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	driver, dsn := "pgx", b.DSN
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return head, db
}

func auditRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli.Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func auditExec(t *testing.T, db *sql.DB, queries ...string) {
	t.Helper()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditVerifyIntact(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			head, _ := auditInstall(t, b, 8)
			db := []string{"--data", b.DataDir}
			if b.DSN != "" {
				db = append(db, "--db", b.DSN)
			}
			code, out, errs := auditRun(append([]string{"audit", "verify"}, db...)...)
			if want := fmt.Sprintf("audit log intact: 8 entries, head %s\n", head); code != 0 || out != want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q", code, out, errs, want)
			}
			code, out, _ = auditRun(append([]string{"audit", "head"}, db...)...)
			if code != 0 || out != head+"\n" {
				t.Fatalf("audit head: exit %d, %q; want %s", code, out, head)
			}
			if code, _, errs := auditRun(append([]string{"audit", "verify", "--head", head}, db...)...); code != 0 {
				t.Fatalf("verify --head of the current head: exit %d, %s", code, errs)
			}
		})
	}
}

func TestAuditVerifyTampered(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB)
		want   string // in the error
	}{
		{"detail altered", func(t *testing.T, db *sql.DB) {
			auditExec(t, db, `UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 5`)
		}, "entry 5: altered"},
		{"row removed", func(t *testing.T, db *sql.DB) {
			auditExec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
		}, "entry 3: removed"},
		{"rows swapped", func(t *testing.T, db *sql.DB) {
			auditExec(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = 2`,
				`UPDATE audit_log SET seq = 2 WHERE seq = 6`, `UPDATE audit_log SET seq = 6 WHERE seq = -1`)
		}, "entry 2: reordered"},
		{"chain recomputed without the key", func(t *testing.T, db *sql.DB) {
			auditExec(t, db, `UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 4`)
			auditRecompute(t, db, 4)
		}, "entry 4: bad signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range storetest.Backends(t) {
				t.Run(b.Name, func(t *testing.T) {
					_, db := auditInstall(t, b, 8)
					tt.tamper(t, db)
					code, out, errs := auditRun("audit", "verify", "--data", b.DataDir, "--db", b.DSN)
					if code == 0 || !strings.Contains(errs, tt.want) || out != "" {
						t.Fatalf("exit %d, stdout %q, stderr %q; want non-zero and %q", code, out, errs, tt.want)
					}
					if b.Name == "postgres" {
						t.Log(errs)
					}
					if code, _, _ := auditRun("audit", "head", "--data", b.DataDir, "--db", b.DSN); code == 0 {
						t.Fatal("audit head printed the head of a damaged chain")
					}
				})
			}
		})
	}
}

// A cut tail leaves an intact chain; only a head recorded earlier exposes it.
func TestAuditVerifyTruncatedAgainstARecordedHead(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			head, db := auditInstall(t, b, 8)
			auditExec(t, db, `DELETE FROM audit_log WHERE seq > 5`)
			if code, _, errs := auditRun("audit", "verify", "--data", b.DataDir, "--db", b.DSN); code != 0 {
				t.Fatalf("without --head: exit %d, %s", code, errs)
			}
			code, _, errs := auditRun("audit", "verify", "--data", b.DataDir, "--db", b.DSN, "--head", head)
			if code == 0 || !strings.Contains(errs, "entry 6: truncated") {
				t.Fatalf("exit %d, stderr %q; want entry 6 truncated", code, errs)
			}
		})
	}
}

func TestAuditUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"audit"}, 2},
		{[]string{"audit", "sign"}, 2},
		{[]string{"audit", "verify"}, 2},
		{[]string{"audit", "verify", "--data", dir, "--head", "abc"}, 2},
		{[]string{"audit", "verify", "--data", dir, "extra"}, 2},
		{[]string{"audit", "verify", "--data", dir}, 1}, // not an installation
		{[]string{"audit", "head", "--data", dir}, 1},
	} {
		if code, _, errs := auditRun(tt.args...); code != tt.code || !strings.Contains(errs, "tipline: error: ") {
			t.Errorf("%q: exit %d, stderr %q; want %d", tt.args, code, errs, tt.code)
		}
	}
}

// auditRecompute rewrites the chain from seq on with correct hashes and links
// but signatures under a key of the attacker's own: what someone with the
// database and the source code, but not the key file, can do.
func auditRecompute(t *testing.T, db *sql.DB, from int64) {
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
		mac := hmac.New(sha256.New, []byte("the attacker's own key, not the key file's"))
		mac.Write([]byte(prev))
		auditExec(t, db, fmt.Sprintf(`UPDATE audit_log SET prev_hash = '%s', hash = '%s', mac = '%s' WHERE seq = %d`,
			e.PrevHash, prev, hex.EncodeToString(mac.Sum(nil)), e.Seq))
	}
}
