package store

import (
	"context"
	"database/sql/driver"
	"reflect"
	"sync/atomic"
	"time"
)

// DefaultPatience is the longest one PostgreSQL call (a statement, reading
// its rows, a transaction from begin to commit) waits for the server, unless
// the caller's context ends sooner or opts out (see WithoutDeadline). It is
// far beyond a request's usual milliseconds; a server that keeps its
// connections open and never answers (frozen, or behind a network that
// drops every packet) must not hold a source's or an analyst's request for
// ever: the call fails as ErrUnavailable (see Classify), answered as 503.
const DefaultPatience = 15 * time.Second

type noDeadlineKey struct{}

// WithoutDeadline returns ctx for database calls that may rightly outlast
// the store's patience — a backup, a restore, a migration, a list import, a
// recovery rotation, the sweeper — so that they are bounded by ctx alone.
func WithoutDeadline(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDeadlineKey{}, true)
}

// SetPatience changes the longest a PostgreSQL call waits (DefaultPatience
// when the store opens); 0 lets calls wait as long as their context does.
// SQLite's calls are bounded by its busy timeout instead.
func (s *Store) SetPatience(d time.Duration) {
	if s.patience != nil {
		s.patience.Store(int64(d))
	}
}

// patience bounds contexts by a duration that the store may change.
type patience struct{ atomic.Int64 }

// bound returns ctx bounded by the patience, unless it opted out or ends
// sooner already.
func (p *patience) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	d := time.Duration(p.Load())
	if d <= 0 || ctx.Value(noDeadlineKey{}) != nil {
		return ctx, func() {}
	}
	if end, ok := ctx.Deadline(); ok && time.Until(end) <= d {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// patientConnector gives every call on its connections a deadline, in the
// driver, so that every query of the store (through *sql.DB, a transaction
// or a prepared statement) is bounded without each having to ask: a rows'
// deadline ends when they are closed, a transaction's at its commit or
// rollback.
type patientConnector struct {
	driver.Connector
	patience *patience
}

func (c patientConnector) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := c.patience.bound(ctx)
	defer cancel()
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &patientConn{inner: conn, patience: c.patience}, nil
}

// patientConn is the driver's connection with its calls bounded. It offers
// what pgx's stdlib connection offers.
type patientConn struct {
	inner    driver.Conn
	patience *patience
}

func (c *patientConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *patientConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	bctx, cancel := c.patience.bound(ctx)
	defer cancel()
	st, err := c.inner.(driver.ConnPrepareContext).PrepareContext(bctx, query)
	if err != nil {
		return nil, err
	}
	return &patientStmt{inner: st, patience: c.patience}, nil
}

func (c *patientConn) Close() error { return c.inner.Close() }

func (c *patientConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *patientConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	bctx, cancel := c.patience.bound(ctx)
	tx, err := c.inner.(driver.ConnBeginTx).BeginTx(bctx, opts)
	if err != nil {
		cancel()
		return nil, err
	}
	return &patientTx{inner: tx, cancel: cancel}, nil
}

func (c *patientConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ctx, cancel := c.patience.bound(ctx)
	defer cancel()
	return c.inner.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *patientConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ctx, cancel := c.patience.bound(ctx)
	rows, err := c.inner.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		cancel()
		return nil, err
	}
	return &patientRows{Rows: rows, cancel: cancel}, nil
}

func (c *patientConn) Ping(ctx context.Context) error {
	ctx, cancel := c.patience.bound(ctx)
	defer cancel()
	return c.inner.(driver.Pinger).Ping(ctx)
}

func (c *patientConn) CheckNamedValue(v *driver.NamedValue) error {
	return c.inner.(driver.NamedValueChecker).CheckNamedValue(v)
}

func (c *patientConn) ResetSession(ctx context.Context) error {
	ctx, cancel := c.patience.bound(ctx)
	defer cancel()
	return c.inner.(driver.SessionResetter).ResetSession(ctx)
}

// The connection must offer each of these, or database/sql would fall back
// to slower paths (or, for the named values, refuse pgx's types).
var (
	_ driver.ConnPrepareContext = (*patientConn)(nil)
	_ driver.ConnBeginTx        = (*patientConn)(nil)
	_ driver.ExecerContext      = (*patientConn)(nil)
	_ driver.QueryerContext     = (*patientConn)(nil)
	_ driver.Pinger             = (*patientConn)(nil)
	_ driver.NamedValueChecker  = (*patientConn)(nil)
	_ driver.SessionResetter    = (*patientConn)(nil)
)

// patientTx ends its deadline with the transaction: pgx commits and rolls
// back under the context the transaction began with.
type patientTx struct {
	inner  driver.Tx
	cancel context.CancelFunc
}

func (t *patientTx) Commit() error {
	defer t.cancel()
	return t.inner.Commit()
}

func (t *patientTx) Rollback() error {
	defer t.cancel()
	return t.inner.Rollback()
}

// patientRows ends its deadline when closed: pgx reads the rows under the
// context the query began with.
type patientRows struct {
	driver.Rows
	cancel context.CancelFunc
}

func (r *patientRows) Close() error {
	defer r.cancel()
	return r.Rows.Close()
}

type patientStmt struct {
	inner    driver.Stmt
	patience *patience
}

func (s *patientStmt) Close() error  { return s.inner.Close() }
func (s *patientStmt) NumInput() int { return s.inner.NumInput() }

// Exec and Query are driver.Stmt's; database/sql calls the Context forms.
func (s *patientStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *patientStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

func (s *patientStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	ctx, cancel := s.patience.bound(ctx)
	defer cancel()
	return s.inner.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *patientStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	ctx, cancel := s.patience.bound(ctx)
	rows, err := s.inner.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		cancel()
		return nil, err
	}
	return &patientRows{Rows: rows, cancel: cancel}, nil
}

// The column types pgx's rows tell, which a backup reads (see Snapshot.Tables).

func (r *patientRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *patientRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *patientRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *patientRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
