package store

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// A desk action and its audit entry commit in one transaction, or neither
// does. The caller attaches the entry to the context (WithAudit); the first
// write transaction the store commits under that context appends it last,
// just before COMMIT. Every write method goes through inTx or writeExec, so
// no write can commit under such a context without its entry.

type pendingAuditKey struct{}

type pendingAudit struct {
	seals   []AuditSealer
	written atomic.Bool
}

// WithAudit returns a context under which the store's next committed write
// transaction also appends the sealers' entries to the audit log, in order.
func WithAudit(ctx context.Context, seals ...AuditSealer) context.Context {
	return context.WithValue(ctx, pendingAuditKey{}, &pendingAudit{seals: seals})
}

// WithoutAudit returns ctx with no audit entry due: for a write that
// prepares the one the entry records.
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, pendingAuditKey{}, (*pendingAudit)(nil))
}

// auditDue returns the entry attached to ctx that no transaction has
// committed yet, or nil.
func auditDue(ctx context.Context) *pendingAudit {
	p, _ := ctx.Value(pendingAuditKey{}).(*pendingAudit)
	if p == nil || p.written.Load() {
		return nil
	}
	return p
}

// writeExec runs one write statement: on its own, or, when an audit entry is
// due, in a transaction with it.
func (s *Store) writeExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if auditDue(ctx) == nil {
		return s.exec(ctx, s.write, query, args...)
	}
	var res sql.Result
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.exec(ctx, tx, query, args...)
		return err
	})
	return res, err
}
