package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ShredDue lists closed tips whose retention has run out: closed before
// cutoff, not on legal hold, and with no open or paid reward (a reward that
// was not denied): the payment record must outlive the report.
func (s *Store) ShredDue(ctx context.Context, cutoff time.Time) ([]string, error) {
	ids, err := s.queryStrings(ctx, `SELECT id FROM tips WHERE closed_at > 0 AND closed_at < ? AND legal_hold = 0
		AND id NOT IN (SELECT r.tip_id FROM rewards r WHERE NOT EXISTS
			(SELECT 1 FROM reward_ledger l WHERE l.reward_id = r.id AND l.kind = 'deny'))
		ORDER BY id`, cutoff.Unix())
	if err != nil {
		return nil, fmt.Errorf("failed to list tips due for shredding: %w", err)
	}
	return ids, nil
}

// ShredTip deletes a tip for good: its wrapped keys, its sealed content,
// messages, notes and files. With SQLite's secure_delete on, the freed pages
// are overwritten. A backup taken before the shred still holds the tip, with
// its wrapped keys: shredding reaches backups only as they expire.
func (s *Store) ShredTip(ctx context.Context, tipID string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM tip_keys WHERE tip_id = ?`,
			`DELETE FROM tips WHERE id = ?`, // cascades to messages, notes, labels, tokens, sessions
			`DELETE FROM blobs WHERE tip_id = ?`,
		} {
			if _, err := s.exec(ctx, tx, q, tipID); err != nil {
				return fmt.Errorf("failed to shred tip: %w", err)
			}
		}
		return nil
	})
}
