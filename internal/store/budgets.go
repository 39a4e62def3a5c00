package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A budget counts writes per minute and sealed bytes stored, in one row that
// every app server on the database spends from: N servers admit no more than
// one would.

// BudgetLimits are a budget's limits; a zero field is no limit.
type BudgetLimits struct {
	PerMinute int
	Quota     int64 // sealed bytes
}

// BudgetState is a budget as last read or spent.
type BudgetState struct {
	WindowStart time.Time // the minute being counted began then
	Spent       int       // writes taken in that minute
	Stored      int64     // sealed bytes as last recounted, plus writes taken since
	CountedAt   time.Time // the last recount
}

// MinuteSpent reports whether the minute holding now has no write left.
func (b BudgetState) MinuteSpent(l BudgetLimits, now time.Time) bool {
	return l.PerMinute > 0 && now.Sub(b.WindowStart) < time.Minute && b.Spent >= l.PerMinute
}

// QuotaFull reports whether n more bytes would take the store past the quota.
func (b BudgetState) QuotaFull(l BudgetLimits, n int64) bool {
	return l.Quota > 0 && b.Stored+n > l.Quota
}

// Budget reads the budget name.
func (s *Store) Budget(ctx context.Context, name string) (BudgetState, error) {
	var w, spent, stored, counted int64
	err := s.queryRow(ctx, `SELECT window_start, spent, stored, counted_at FROM budgets WHERE name = ?`, name).Scan(&w, &spent, &stored, &counted)
	if err != nil {
		return BudgetState{}, fmt.Errorf("failed to read the budget %q: %w", name, err)
	}
	return BudgetState{WindowStart: time.UnixMicro(w), Spent: int(spent), Stored: stored, CountedAt: time.UnixMicro(counted)}, nil
}

// SpendBudget takes writes writes of n sealed bytes in all from the budget
// name, in one statement, unless the limits refuse them: then ok is false and
// the budget is returned as it stands. Bytes count as stored from the moment
// they are spent.
func (s *Store) SpendBudget(ctx context.Context, name string, l BudgetLimits, writes int, n int64, now time.Time) (b BudgetState, ok bool, err error) {
	at, cutoff := now.UnixMicro(), now.Add(-time.Minute).UnixMicro()
	var w, spent, stored, counted int64
	err = s.write.QueryRowContext(WithoutAudit(ctx), s.rebind(`UPDATE budgets SET
		spent = CASE WHEN window_start <= CAST(? AS BIGINT) THEN 0 ELSE spent END + CAST(? AS BIGINT),
		window_start = CASE WHEN window_start <= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE window_start END,
		stored = stored + CAST(? AS BIGINT)
	WHERE name = ?
		AND (CAST(? AS BIGINT) = 0 OR CASE WHEN window_start <= CAST(? AS BIGINT) THEN 0 ELSE spent END + CAST(? AS BIGINT) <= CAST(? AS BIGINT))
		AND (CAST(? AS BIGINT) = 0 OR stored + CAST(? AS BIGINT) <= CAST(? AS BIGINT))
	RETURNING window_start, spent, stored, counted_at`),
		cutoff, writes, cutoff, at, n, name, l.PerMinute, cutoff, writes, l.PerMinute, l.Quota, n, l.Quota).Scan(&w, &spent, &stored, &counted)
	if errors.Is(err, sql.ErrNoRows) {
		b, err := s.Budget(ctx, name)
		return b, false, err
	}
	if err != nil {
		return BudgetState{}, false, fmt.Errorf("failed to spend from the budget %q: %w", name, err)
	}
	return BudgetState{WindowStart: time.UnixMicro(w), Spent: int(spent), Stored: stored, CountedAt: time.UnixMicro(counted)}, true, nil
}

// RecountBudget sets the budget's stored bytes to what the store holds (every
// sealed blob, staged uploads too), unless another server recounted since
// last: then it does nothing. Writes spent but not yet committed are not in
// the count, nor what servers took and have not used yet (see intake's
// budget): they are a moment's worth, and a small share of the quota.
func (s *Store) RecountBudget(ctx context.Context, name string, last, now time.Time) error {
	_, err := s.exec(WithoutAudit(ctx), s.write, `UPDATE budgets SET
		stored = (SELECT COALESCE(SUM(size), 0) FROM blobs), counted_at = ?
	WHERE name = ? AND counted_at = ?`, now.UnixMicro(), name, last.UnixMicro())
	if err != nil {
		return fmt.Errorf("failed to recount the budget %q: %w", name, err)
	}
	return nil
}
