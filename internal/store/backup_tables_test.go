package store

import (
	"context"
	"slices"
	"testing"
)

// Every table of the schema is backed up, or says why not: a migration that
// adds a table must decide.
func TestEveryTableIsBackedUpOrSaysWhyNot(t *testing.T) {
	s, err := Open(context.Background(), t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tables, err := s.tableNames(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, bt := range backupTables {
		if _, both := notBackedUp[bt.name]; both {
			t.Errorf("table %s is both backed up and not", bt.name)
		}
		listed = append(listed, bt.name)
	}
	for name := range notBackedUp {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	for _, name := range tables {
		if !slices.Contains(listed, name) {
			t.Errorf("table %s is neither in backupTables nor in notBackedUp (internal/store/backup.go)", name)
		}
	}
	for _, name := range listed {
		if !slices.Contains(tables, name) {
			t.Errorf("table %s is listed in internal/store/backup.go but not in the schema", name)
		}
	}
}
