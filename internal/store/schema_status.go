package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// SchemaStatus compares a database's applied migrations with this binary's.
type SchemaStatus struct {
	Applied []string // migrations the database has, in order
	Pending []string // this binary's migrations the database lacks, in the order Migrate applies them
	Unknown []string // migrations the database has and this binary does not: a newer binary made them
}

// Current is the database's schema: its latest applied migration, or "" for
// an empty database.
func (st SchemaStatus) Current() string {
	if len(st.Applied) == 0 {
		return ""
	}
	return st.Applied[len(st.Applied)-1]
}

// SchemaNewerError refuses a database whose schema a newer binary made: this
// binary's queries could corrupt what it does not know.
type SchemaNewerError struct {
	Database string   // the database's latest migration
	Binary   string   // this binary's latest migration (SchemaVersion)
	Unknown  []string // the database's migrations this binary lacks
}

func (e *SchemaNewerError) Error() string {
	return fmt.Sprintf("the database's schema (%s) is newer than this binary's (%s): it has migrations this binary does not know (%s)",
		e.Database, e.Binary, strings.Join(e.Unknown, ", "))
}

func (st SchemaStatus) newer() error {
	if len(st.Unknown) == 0 {
		return nil
	}
	return &SchemaNewerError{Database: st.Current(), Binary: SchemaVersion(), Unknown: st.Unknown}
}

// SchemaStatus reads which migrations the database has, changing nothing.
func (s *Store) SchemaStatus(ctx context.Context) (SchemaStatus, error) {
	var st SchemaStatus
	known, err := migrationVersions()
	if err != nil {
		return st, err
	}
	tables, err := s.tableNames(ctx)
	if err != nil {
		return st, err
	}
	if slices.Contains(tables, "schema_migrations") {
		if st.Applied, err = s.queryStrings(ctx, `SELECT version FROM schema_migrations ORDER BY version`); err != nil {
			return st, fmt.Errorf("failed to read the schema's version: %w", err)
		}
	}
	for _, v := range known {
		if !slices.Contains(st.Applied, v) {
			st.Pending = append(st.Pending, v)
		}
	}
	for _, v := range st.Applied {
		if !slices.Contains(known, v) {
			st.Unknown = append(st.Unknown, v)
		}
	}
	return st, nil
}

// tableNames lists the tables of the database (on PostgreSQL, of the schema
// the connection uses), sorted.
func (s *Store) tableNames(ctx context.Context) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	names, err := s.queryStrings(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("failed to list the database's tables: %w", err)
	}
	return names, nil
}
