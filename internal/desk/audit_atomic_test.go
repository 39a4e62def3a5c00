package desk_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// When the audit log cannot be written, no desk write happens: each action
// and its entry commit together or not at all. The log is made to refuse
// every insert with a trigger; each action must then fail and leave every
// table as it was; with the trigger gone, the same request succeeds — so the
// forms are valid and the refusal was the audit's. A read of report content
// whose entry cannot be written shows nothing.
func TestNoDeskWriteWithoutItsAuditEntry(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			w := newWorld(t, b)
			kim := w.addUser("kim", tip.RoleAnalyst)
			w.addUser("lee", tip.RoleAnalyst)
			park := w.addUser("park", tip.RoleCommittee)
			root := w.addUser("root", tip.RoleAdmin)
			victim := w.addUser("victim", tip.RoleAnalyst)
			w.addUser("forgetful", tip.RoleAuditor)
			w.submit("the tanker loaded at night", "log.txt", "the ship's log")
			analyst, committee, admin := w.login(kim), w.login(park), w.login(root)
			_, queue := analyst.get("/tips")
			id := tipLink.FindStringSubmatch(queue)[1]
			rewardID, _ := recommendOn(t, analyst, id, "5000")
			v, _, _ := w.store.UserByName(context.Background(), victim.name)
			forgetful, _, _ := w.store.UserByName(context.Background(), "forgetful")
			offers, _ := w.store.Offers(context.Background())
			db := rawDB(t, b)

			for _, c := range []struct {
				who    *browser
				path   string
				fields url.Values
			}{
				{analyst, "/tips/" + id + "/status", url.Values{"status": {"triage"}}},
				{analyst, "/tips/" + id + "/notes", url.Values{"note": {"matches the port records"}}},
				{analyst, "/tips/" + id + "/messages", url.Values{"message": {"thank you"}}},
				{analyst, "/tips/" + id + "/labels", url.Values{"labels": {"coal"}, "legal_hold": {"1"}}},
				{analyst, "/tips/" + id + "/assign", url.Values{"assignee": {"me"}, "priority": {"3"}}},
				{analyst, "/tips/" + id + "/grant", url.Values{"to": {"lee"}}},
				{analyst, "/tips/" + id + "/rewards", url.Values{"amount": {"1000"}, "justification": {"named the ship"}}},
				{committee, "/rewards/" + rewardID + "/approve", nil},
				{admin, "/admin/users/" + v.ID + "/disable", nil},
				{admin, "/admin/users/" + v.ID + "/enable", nil},
				{admin, "/admin/users/" + v.ID + "/reset-totp", nil},
				{admin, "/admin/users/" + forgetful.ID + "/reset-passphrase", url.Values{"confirm": {"yes"}}},
				{admin, "/admin/statuses", url.Values{"code": {"waiting"}, "public_state": {"under_review"}}},
				{admin, "/admin/ceiling", url.Values{"ceiling": {"6000000"}}},
				{admin, "/admin/offers/" + offers[0].ID + "/recipients", url.Values{"name": {"victim"}}},
				{admin, "/admin/offers", offerFields("Vessel Pak Hae Un", time.Now(), time.Now().AddDate(1, 0, 0))},
			} {
				t.Run(c.path, func(t *testing.T) {
					refuseAudit(t, db, b, true)
					before := snapshot(t, db, b)
					resp, _ := c.who.post(c.path, c.fields)
					if resp.StatusCode != http.StatusInternalServerError {
						t.Errorf("with the audit log refusing writes: %d, want 500", resp.StatusCode)
					}
					if after := snapshot(t, db, b); after != before {
						t.Errorf("the action changed the database though its audit entry failed")
					}
					refuseAudit(t, db, b, false)
					if resp, page := c.who.post(c.path, c.fields); resp.StatusCode >= 400 {
						t.Errorf("with the audit log working: %d\n%s", resp.StatusCode, page)
					}
				})
			}

			refuseAudit(t, db, b, true)
			resp, page := analyst.get("/tips/" + id)
			if resp.StatusCode != http.StatusInternalServerError || strings.Contains(page, "the tanker loaded") {
				t.Errorf("a read whose audit entry failed: %d, content shown: %v", resp.StatusCode, strings.Contains(page, "the tanker loaded"))
			}
			refuseAudit(t, db, b, false)
		})
	}
}

// rawDB opens the world's database directly, as an operator (or attacker)
// with access to it would.
func rawDB(t *testing.T, b storetest.Backend) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", b.DSN
	if b.DSN == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// refuseAudit makes every insert into the audit log fail, or stops that.
func refuseAudit(t *testing.T, db *sql.DB, b storetest.Backend, on bool) {
	t.Helper()
	var stmts []string
	switch {
	case b.DSN == "" && on:
		stmts = []string{`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is unavailable'); END`}
	case b.DSN == "":
		stmts = []string{`DROP TRIGGER refuse_audit`}
	case on:
		stmts = []string{
			`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'the audit log is unavailable'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
		}
	default:
		stmts = []string{`DROP TRIGGER refuse_audit ON audit_log`}
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// snapshot is a digest of every row of every table: two equal snapshots
// mean nothing was written in between.
func snapshot(t *testing.T, db *sql.DB, b storetest.Backend) string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if b.DSN != "" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	tables, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	h := sha256.New()
	for _, n := range names {
		rows, err := db.Query(`SELECT * FROM ` + n + ` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s%v\n", n, vals)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
