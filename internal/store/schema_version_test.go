package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tipline/internal/store"
)

// SchemaVersion is the latest migration in the source tree, and the version
// a new database is migrated to.
func TestSchemaVersionIsTheLatestMigration(t *testing.T) {
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			files = append(files, strings.TrimSuffix(e.Name(), ".sql"))
		}
	}
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatal("no migrations in migrations/")
	}
	latest := files[len(files)-1]
	if got := store.SchemaVersion(); got != latest {
		t.Fatalf("SchemaVersion() = %q, the latest migration is %q", got, latest)
	}

	dir := t.TempDir()
	s, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied string
	if err := db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != latest {
		t.Fatalf("a new database is at %q, SchemaVersion() says %q", applied, latest)
	}
}
