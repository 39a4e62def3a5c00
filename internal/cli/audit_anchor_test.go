package cli_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/audit"
	"tipline/internal/install"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// anchorNow appends the installation's current head to the anchor file, as
// serve --audit-anchor does.
func anchorNow(t *testing.T, b storetest.Backend, path string) {
	t.Helper()
	ctx := context.Background()
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
	f, err := audit.OpenAnchorFile(log, path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Append(ctx, true); err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerifyAnchors(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, b storetest.Backend, db *sql.DB)
		want   string // in the error; "" for an intact log
		// caughtAlone: verify finds it without the anchors too.
		caughtAlone bool
	}{
		{"intact", func(*testing.T, storetest.Backend, *sql.DB) {}, "", false},
		{"newest rows deleted", func(t *testing.T, _ storetest.Backend, db *sql.DB) {
			auditExec(t, db, `DELETE FROM audit_log WHERE seq > 6`)
		}, "entry 7: truncated: the chain ends at entry 6, but the anchor on line 3", false},
		{"an entry rewritten with the key file's key", func(t *testing.T, b storetest.Backend, db *sql.DB) {
			auditExec(t, db, `UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3`)
			keys, err := install.Load(b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			auditResign(t, db, keys.AuditKey, 3)
		}, "entry 8: rewritten: the anchor on line 3", false},
		{"an entry altered", func(t *testing.T, _ storetest.Backend, db *sql.DB) {
			auditExec(t, db, `UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2`)
		}, "entry 2: altered", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range storetest.Backends(t) {
				t.Run(b.Name, func(t *testing.T) {
					_, db := auditInstall(t, b, 8)
					anchors := filepath.Join(t.TempDir(), "audit-anchors")
					anchorNow(t, b, anchors)
					tt.tamper(t, b, db)
					args := []string{"audit", "verify", "--data", b.DataDir, "--db", b.DSN}
					if code, _, errs := auditRun(args...); (code != 0) != tt.caughtAlone {
						t.Fatalf("without --anchors: exit %d, %s", code, errs)
					}
					code, out, errs := auditRun(append(args, "--anchors", anchors)...)
					if tt.want == "" {
						if code != 0 || !strings.Contains(out, "it holds all 1 anchors of "+anchors) {
							t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
						}
						return
					}
					if code == 0 || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "hint: ") {
						t.Fatalf("exit %d, stderr %q; want non-zero and %q", code, errs, tt.want)
					}
				})
			}
		})
	}
}

// The anchors must be where whoever can change the database cannot reach:
// serve refuses a file in the data folder, also through a symbolic link,
// before it listens.
func TestServeRefusesAnchorsInTheDataFolder(t *testing.T) {
	b := storetest.Backends(t)[0]
	if _, err := install.Init(context.Background(), install.Options{DataDir: b.DataDir}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "data-link")
	if err := os.Symlink(b.DataDir, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(b.DataDir, "anchors"), filepath.Join(link, "sub", "..", "anchors"), b.DataDir} {
		code, _, errs := auditRun("serve", "--data", b.DataDir, "--public", "127.0.0.1:0", "--desk", "127.0.0.1:0", "--audit-anchor", path)
		if code != 2 || !strings.Contains(errs, "inside the data folder") || !strings.Contains(errs, "hint: ") {
			t.Errorf("--audit-anchor %s: exit %d, %s", path, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(b.DataDir, "anchors")); err == nil {
		t.Fatal("a refused anchor file was created")
	}
}

// auditResign rewrites the chain from seq on, hashed and signed with the
// audit key: what someone who read the key file can do.
func auditResign(t *testing.T, db *sql.DB, key []byte, from int64) {
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
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte("tipline audit mac v1\n" + prev))
		auditExec(t, db, fmt.Sprintf(`UPDATE audit_log SET prev_hash = '%s', hash = '%s', mac = '%s' WHERE seq = %d`,
			e.PrevHash, prev, hex.EncodeToString(mac.Sum(nil)), e.Seq))
	}
}
