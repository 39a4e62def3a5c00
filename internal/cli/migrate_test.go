package cli_test

import (
	"strings"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// "tipline migrate --status" names the database's schema and what this
// binary would apply, and changes nothing.
func TestMigrateStatus(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			_, db := auditInstall(t, b, 1)
			args := []string{"migrate", "--status", "--data", b.DataDir}
			if b.DSN != "" {
				args = append(args, "--db", b.DSN)
			}
			code, out, errs := auditRun(args...)
			if code != 0 || !strings.Contains(out, "database schema: "+store.SchemaVersion()) || !strings.Contains(out, "up to date") {
				t.Fatalf("status of a new installation: exit %d\n%s%s", code, out, errs)
			}

			auditExec(t, db, `DELETE FROM schema_migrations WHERE version = '`+store.SchemaVersion()+`'`)
			code, out, errs = auditRun(args...)
			if code != 0 || !strings.Contains(out, "pending: "+store.SchemaVersion()) {
				t.Fatalf("status with the latest migration missing: exit %d\n%s%s", code, out, errs)
			}
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version = '` + store.SchemaVersion() + `'`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("--status applied a migration (%d, %v)", n, err)
			}

			auditExec(t, db, `INSERT INTO schema_migrations (version) VALUES ('`+store.SchemaVersion()+`'), ('999_from_a_newer_binary')`)
			code, out, errs = auditRun(args...)
			if code != 1 || !strings.Contains(out, "newer than this binary: 999_from_a_newer_binary") || !strings.Contains(errs, "hint:") {
				t.Fatalf("status of a newer database: exit %d\n%s%s", code, out, errs)
			}
		})
	}
}

// serve (and every command that opens the database) refuses a database a
// newer binary migrated, naming both schemas.
func TestServeRefusesANewerSchema(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			_, db := auditInstall(t, b, 1)
			auditExec(t, db, `INSERT INTO schema_migrations (version) VALUES ('999_from_a_newer_binary')`)
			args := []string{"serve", "--data", b.DataDir, "--public", "127.0.0.1:0", "--desk", "127.0.0.1:0"}
			if b.DSN != "" {
				args = append(args, "--db", b.DSN)
			}
			code, out, errs := auditRun(args...)
			if code != 1 || !strings.Contains(errs, "999_from_a_newer_binary") || !strings.Contains(errs, store.SchemaVersion()) ||
				!strings.Contains(errs, "hint: run the tipline that migrated it") || strings.Contains(out, "source site on") {
				t.Fatalf("serve against a newer schema: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
		})
	}
}
