package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// AuditEntry is one row of the audit log. The store keeps entries in order
// and appends them one at a time; the audit package computes and checks
// their hashes and MACs.
//
// Detail is a short note ("status new -> triage"), never report content: the
// table is stored and backed up in the clear.
type AuditEntry struct {
	Seq      int64  // 1, 2, 3, ... with no gaps
	At       int64  // Unix seconds
	Actor    string // "user:<id>", "system", "cli"
	Action   string // "tip.read", "tip.status", "login.ok", ...
	TipID    string // "" when the event concerns no report (NULL)
	Detail   string
	PrevHash string
	Hash     string
	MAC      string
}

// AuditSealer builds the next entry of the chain, given the seq it must
// carry and the hash of the entry before it ("" when the log is empty). It
// runs while the appender holds the chain's lock, so it should be quick and
// must not use the database.
type AuditSealer func(seq int64, prevHash string) (AuditEntry, error)

// AppendAudit appends entries in one transaction of their own and returns
// the last as stored. A write and its entry commit together through
// WithAudit instead.
func (s *Store) AppendAudit(ctx context.Context, seals ...AuditSealer) (AuditEntry, error) {
	var e AuditEntry
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, seal := range seals {
			var err error
			if e, err = s.appendAuditTx(ctx, tx, seal); err != nil {
				return err
			}
		}
		return nil
	})
	return e, err
}

// appendAuditTx appends one entry inside tx, so that the entry commits or
// rolls back with the write it records. Reading the head and inserting the next entry is atomic
// across every process that shares the database:
//
//   - on SQLite, inTx begins IMMEDIATE, so the transaction already holds
//     the database's one write lock;
//   - on PostgreSQL, the transaction takes an advisory lock on the log,
//     held until it ends, so app servers append one after the other while
//     the auditor's page and the verifier keep reading. The head is read
//     after the lock is granted, which under READ COMMITTED (PostgreSQL's
//     default) sees the last committed entry. Append last in a
//     transaction, just before commit, to keep the lock short.
//
// Should a caller's stale snapshot (REPEATABLE READ) read an old head anyway,
// the primary key on seq refuses the duplicate: an error, never a fork.
func (s *Store) appendAuditTx(ctx context.Context, tx *sql.Tx, seal AuditSealer) (AuditEntry, error) {
	if s.postgres {
		// An advisory lock rather than LOCK TABLE, which in the mode needed
		// requires UPDATE or DELETE rights: this way the app's role can be
		// left with only INSERT and SELECT on audit_log. Keyed by the table's
		// OID, so installations in other schemas do not queue behind us.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock('audit_log'::regclass::oid::bigint)`); err != nil {
			return AuditEntry{}, fmt.Errorf("failed to lock the audit log: %w", err)
		}
	}
	var last int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return AuditEntry{}, fmt.Errorf("failed to read the audit log's head: %w", err)
	}
	e, err := seal(last+1, prev)
	if err != nil {
		return AuditEntry{}, err
	}
	if e.Seq != last+1 {
		return AuditEntry{}, fmt.Errorf("audit entry has seq %d, want %d", e.Seq, last+1)
	}
	_, err = s.exec(ctx, tx, `INSERT INTO audit_log (seq, at, actor, action, tip_id, detail, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.Actor, e.Action, sql.NullString{String: e.TipID, Valid: e.TipID != ""}, e.Detail, e.PrevHash, e.Hash, e.MAC)
	if err != nil {
		return AuditEntry{}, fmt.Errorf("failed to append to the audit log: %w", err)
	}
	return e, nil
}

// AuditHead returns the last entry's seq and hash: 0 and "" for an empty log.
func (s *Store) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("failed to read the audit log's head: %w", err)
	}
	return seq, hash, nil
}

// AuditFilter selects a page of the audit log for the auditor's page.
type AuditFilter struct {
	TipID  string // only entries about this report, when set
	Actor  string // only entries by this actor, when set
	Before int64  // only entries with a smaller seq (the previous page's last), when set
	Limit  int    // page size: 50 when 0, at most 500
}

// ListAudit returns a page of entries, newest first. For the next page, set
// Before to the last entry's Seq; a page shorter than the limit is the last.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	if f.TipID != "" {
		where, args = append(where, "tip_id = ?"), append(args, f.TipID)
	}
	if f.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, f.Actor)
	}
	if f.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT ?"
	return s.queryAudit(ctx, q, append(args, limit)...)
}

// walkBatch is how many entries WalkAudit reads per query: big enough that
// round trips do not dominate, small enough to keep memory flat.
const walkBatch = 5000

// WalkAudit calls fn on every entry with a seq above after, in seq order,
// stopping at the first error fn returns. It reads in batches, so entries
// appended during the walk are reached too.
func (s *Store) WalkAudit(ctx context.Context, after int64, fn func(AuditEntry) error) error {
	for {
		batch, err := s.queryAudit(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, after, walkBatch)
		if err != nil {
			return err
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < walkBatch {
			return nil
		}
		after = batch[len(batch)-1].Seq
	}
}

const auditColumns = `seq, at, actor, action, tip_id, detail, prev_hash, hash, mac`

func (s *Store) queryAudit(ctx context.Context, q string, args ...any) ([]AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("failed to read the audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var tipID sql.NullString
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &tipID, &e.Detail, &e.PrevHash, &e.Hash, &e.MAC); err != nil {
			return nil, fmt.Errorf("failed to read the audit log: %w", err)
		}
		e.TipID = tipID.String
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read the audit log: %w", err)
	}
	return out, nil
}
