package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Open refuses a database with a migration this binary does not know, and
// leaves it as it was.
func TestOpenRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, err := store.Open(ctx, b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			db := rawDB(t, b)
			if _, err := db.Exec(`INSERT INTO schema_migrations (version) VALUES ('999_from_a_newer_binary')`); err != nil {
				t.Fatal(err)
			}
			_, err = store.Open(ctx, b.DataDir, b.DSN)
			var newer *store.SchemaNewerError
			if !errors.As(err, &newer) || newer.Database != "999_from_a_newer_binary" || newer.Binary != store.SchemaVersion() ||
				!slices.Equal(newer.Unknown, []string{"999_from_a_newer_binary"}) {
				t.Fatalf("Open of a newer database: %v", err)
			}

			s, err = store.OpenUnmigrated(b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			status, err := s.SchemaStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if status.Current() != "999_from_a_newer_binary" || len(status.Pending) != 0 || len(status.Unknown) != 1 {
				t.Fatalf("status: %+v", status)
			}
		})
	}
}

// SchemaStatus lists what Migrate would apply, and Migrate applies exactly
// that.
func TestSchemaStatusOfAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, err := store.OpenUnmigrated(b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			status, err := s.SchemaStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if status.Current() != "" || len(status.Applied) != 0 || status.Pending[len(status.Pending)-1] != store.SchemaVersion() {
				t.Fatalf("status of an empty database: %+v", status)
			}
			applied, err := s.Migrate(ctx)
			if err != nil || !slices.Equal(applied, status.Pending) {
				t.Fatalf("Migrate applied %v (%v), status said %v", applied, err, status.Pending)
			}
			if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
				t.Fatalf("a second Migrate applied %v (%v)", again, err)
			}
		})
	}
}

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
