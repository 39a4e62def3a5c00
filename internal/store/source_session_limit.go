package store

import (
	"context"
	"fmt"
)

// KeepSourceSessions ends a tip's live sessions beyond the keep newest,
// sparing keepID (the session just started): a receipt logged in over and
// over must not fill the database with sessions. What it deletes is
// scrubbed off the disk (see forgetTx).
func (s *Store) KeepSourceSessions(ctx context.Context, tipID, keepID string, keep int) error {
	res, err := s.writeExec(ctx, `DELETE FROM source_sessions WHERE tip_id = ? AND id <> ? AND id NOT IN (
		SELECT id FROM source_sessions WHERE tip_id = ? AND id <> ? ORDER BY expires_at DESC, id LIMIT ?)`,
		tipID, keepID, tipID, keepID, max(keep-1, 0))
	if err != nil {
		return fmt.Errorf("failed to end older sessions: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return s.scrub(ctx)
	}
	return nil
}
