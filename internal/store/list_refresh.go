package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ClaimListRefresh reports whether this server should refresh the lists
// now: true for the one server whose claim lands first once every has
// passed since the last refresh, so that several servers refresh once.
func (s *Store) ClaimListRefresh(ctx context.Context, now time.Time, every time.Duration) (bool, error) {
	due := now.Add(-every * 9 / 10).Unix()
	res, err := s.writeExec(ctx, `UPDATE settings SET value = ? WHERE name = 'lists_refreshed_at' AND CAST(value AS BIGINT) <= ?`,
		strconv.FormatInt(now.Unix(), 10), due)
	if err != nil {
		return false, fmt.Errorf("failed to claim the lists' refresh: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ListRefresh is how a source's automatic refresh went.
type ListRefresh struct {
	Source       string
	LastAttempt  time.Time
	LastOK       time.Time // zero for never
	FailingSince time.Time // zero when the last attempt succeeded
	Error        string
}

// RecordListRefresh records a refresh of a source: failed when err is set.
// A failure keeps the first failure's time, so the warning says since when.
func (s *Store) RecordListRefresh(ctx context.Context, source string, now time.Time, refreshErr error) error {
	if refreshErr == nil {
		_, err := s.writeExec(ctx, `INSERT INTO list_refresh (source, last_attempt, last_ok, failing_since, error) VALUES (?, ?, ?, 0, '')
			ON CONFLICT (source) DO UPDATE SET last_attempt = excluded.last_attempt, last_ok = excluded.last_ok, failing_since = 0, error = ''`,
			source, now.Unix(), now.Unix())
		return err
	}
	msg := refreshErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	_, err := s.writeExec(ctx, `INSERT INTO list_refresh (source, last_attempt, failing_since, error) VALUES (?, ?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET last_attempt = excluded.last_attempt, error = excluded.error,
		failing_since = CASE WHEN list_refresh.failing_since = 0 THEN excluded.failing_since ELSE list_refresh.failing_since END`,
		source, now.Unix(), now.Unix(), msg)
	return err
}

// ListRefreshes returns how each source's last refresh went.
func (s *Store) ListRefreshes(ctx context.Context) ([]ListRefresh, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT source, last_attempt, last_ok, failing_since, error FROM list_refresh ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("failed to read the lists' refreshes: %w", err)
	}
	defer rows.Close()
	var out []ListRefresh
	for rows.Next() {
		var r ListRefresh
		var attempt, ok, failing int64
		if err := rows.Scan(&r.Source, &attempt, &ok, &failing, &r.Error); err != nil {
			return nil, err
		}
		r.LastAttempt, r.LastOK, r.FailingSince = time.Unix(attempt, 0), timeOrZero(ok), timeOrZero(failing)
		out = append(out, r)
	}
	return out, rows.Err()
}
