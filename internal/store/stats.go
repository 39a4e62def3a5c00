package store

import (
	"context"
	"fmt"
)

// TipsByStatus counts the tips of each status, for the operator's metrics:
// counts only, nothing of any tip.
func (s *Store) TipsByStatus(ctx context.Context) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT status, COUNT(*) FROM tips GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("failed to count tips: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	return out, rows.Err()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.read.PingContext(ctx)
}
