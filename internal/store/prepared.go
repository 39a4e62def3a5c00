package store

import (
	"context"
	"database/sql"
)

// queryRow runs a read on a statement prepared once per connection and kept.
// It is for the queries on the source site's every request: SQLite (in Go,
// through modernc) spends longer preparing a statement than running these,
// and the submit path runs two before anything else. PostgreSQL's driver keeps
// its own statement cache, so there this changes little.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	stmt, err := s.prepared(ctx, query)
	if err != nil {
		return s.read.QueryRowContext(ctx, s.rebind(query), args...)
	}
	return stmt.QueryRowContext(ctx, args...)
}

// queryRows is queryRow for a query that returns several rows.
func (s *Store) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	stmt, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return stmt.QueryContext(ctx, args...)
}

func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if stmt, ok := s.stmts.Load(query); ok {
		return stmt.(*sql.Stmt), nil
	}
	stmt, err := s.read.PrepareContext(ctx, s.rebind(query))
	if err != nil {
		return nil, err
	}
	if old, loaded := s.stmts.LoadOrStore(query, stmt); loaded {
		stmt.Close()
		return old.(*sql.Stmt), nil
	}
	return stmt, nil
}
