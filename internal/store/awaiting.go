package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tipline/internal/tip"
)

// ShredWarning is how long before a closed report is shredded its holders
// are warned.
const ShredWarning = 30 * 24 * time.Hour

// Awaits reports whether something awaits a desk user: a new report they
// can open, a source's reply (the last word on an open report they hold), a
// reward awaiting their approval, or a report they hold to be shredded
// within ShredWarning (retention is how long closed reports are kept; zero
// for ever). It says only whether, never what.
func (s *Store) Awaits(ctx context.Context, u tip.User, retention time.Duration, now time.Time) (bool, error) {
	holder := u.Holder()
	queries := []struct {
		q    string
		args []any
	}{
		{`SELECT 1 FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? AND t.status = 'new' LIMIT 1`, []any{holder}},
		{`SELECT 1 FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? AND t.closed_at = 0
			AND (SELECT m.author FROM messages m WHERE m.tip_id = t.id ORDER BY m.seq DESC LIMIT 1) = 'source' LIMIT 1`, []any{holder}},
	}
	if u.Has(tip.RoleCommittee) {
		queries = append(queries, struct {
			q    string
			args []any
		}{`SELECT 1 FROM rewards r JOIN tip_keys k ON k.tip_id = r.tip_id AND k.holder = ?
			WHERE r.recommended_by <> ?
			AND NOT EXISTS (SELECT 1 FROM reward_ledger l WHERE l.reward_id = r.id AND (l.kind IN ('deny', 'pay') OR l.actor = ?))
			AND (SELECT COUNT(*) FROM reward_ledger l WHERE l.reward_id = r.id AND l.kind = 'approve') < ? LIMIT 1`,
			[]any{holder, u.ID, u.ID, tip.ApprovalsNeeded}})
	}
	if retention > 0 {
		queries = append(queries, struct {
			q    string
			args []any
		}{`SELECT 1 FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? AND t.closed_at > 0 AND t.closed_at < ? AND t.legal_hold = 0 LIMIT 1`,
			[]any{holder, now.Add(-retention + ShredWarning).Unix()}})
	}
	for _, q := range queries {
		var one int
		err := s.read.QueryRowContext(ctx, s.rebind(q.q), q.args...).Scan(&one)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("failed to check what awaits a user: %w", err)
		}
	}
	return false, nil
}
