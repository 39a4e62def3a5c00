// Package storetest runs tests against every database Tipline supports:
// SQLite always, and PostgreSQL when TIPLINE_TEST_POSTGRES holds a DSN (as
// scripts/test and CI arrange). Each test gets a fresh database.
package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"testing"

	"tipline/internal/store"
	"tipline/internal/testenv"
	"tipline/internal/tip"
)

// Backend is one database to run a test on.
type Backend struct {
	Name    string // "sqlite" or "postgres"
	DataDir string // the data folder (holds the SQLite file)
	DSN     string // empty for SQLite
}

var warnOnce sync.Once

// Backends returns the databases to test on, each fresh: SQLite in a temp
// folder, and a new PostgreSQL schema when TIPLINE_TEST_POSTGRES is set.
func Backends(t testing.TB) []Backend {
	t.Helper()
	out := []Backend{{Name: "sqlite", DataDir: t.TempDir()}}
	base := testenv.Postgres(t)
	if base == "" {
		warnOnce.Do(func() {
			t.Log("PostgreSQL tests skipped: TIPLINE_TEST_POSTGRES is not set (scripts/test sets it when PostgreSQL is installed)")
		})
		return out
	}
	return append(out, Backend{Name: "postgres", DataDir: t.TempDir(), DSN: freshSchema(t, base)})
}

// Postgres is the PostgreSQL backend alone, for tests of what only a
// database server does (a connection cut or stalled, a server stopped). It
// skips the test where there is none — and fails it under CI=true, as
// testenv.Postgres does.
func Postgres(t testing.TB) Backend {
	t.Helper()
	base := testenv.Postgres(t)
	if base == "" {
		t.Skip("needs PostgreSQL: run it through scripts/test, which starts one and sets TIPLINE_TEST_POSTGRES")
	}
	return Backend{Name: "postgres", DataDir: t.TempDir(), DSN: freshSchema(t, base)}
}

// TipCount counts the stored tips, of every status.
func TipCount(t testing.TB, s *store.Store) int {
	t.Helper()
	byStatus, err := s.TipsByStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range byStatus {
		n += c
	}
	return n
}

// ForEach runs fn as a subtest on each backend with an open, migrated store.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store, b Backend)) {
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, err := store.Open(context.Background(), b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			fn(t, s, b)
		})
	}
}

// freshSchema makes an empty schema and returns a DSN that uses it.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	schema := "t_" + tip.NewID()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("failed to create a test schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return strings.TrimSpace(u.String())
}
