package store

import (
	"context"
	"database/sql"
	"errors"
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
// messages, notes and files, scrubbed off the database's files (see
// forgetTx). Blob files go after the commit, their headers overwritten
// first (see wipeHeader); a crash in between leaves files the sweeper
// deletes the same way (sweepOrphanFiles). A backup taken before the shred
// still holds the tip, with its wrapped keys: shredding reaches backups only
// as they expire.
func (s *Store) ShredTip(ctx context.Context, tipID string) error {
	var files []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if s.files != nil {
			var err error
			if files, err = s.fileBlobsOf(ctx, tx, tipID); err != nil {
				return fmt.Errorf("failed to shred tip: %w", err)
			}
		}
		if err := s.shredRows(ctx, tx, tipID); err != nil {
			return fmt.Errorf("failed to shred tip: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The rows are gone: the files go, and the database files are
	// scrubbed, whether or not the other succeeds.
	if len(files) > 0 {
		err = s.files.remove(files...)
	}
	return errors.Join(err, s.scrub(ctx))
}

// shredRows deletes a tip's rows inside tx (its blob files are the caller's).
func (s *Store) shredRows(ctx context.Context, tx *sql.Tx, tipID string) error {
	for _, q := range []string{
		`DELETE FROM tip_keys WHERE tip_id = ?`,
		`DELETE FROM tips WHERE id = ?`, // cascades to messages, notes, labels, tokens, sessions
		`DELETE FROM blobs WHERE tip_id = ?`,
	} {
		if _, err := s.exec(ctx, tx, q, tipID); err != nil {
			return err
		}
	}
	return nil
}

// fileBlobsOf lists the ids of a tip's blob files.
func (s *Store) fileBlobsOf(ctx context.Context, tx *sql.Tx, tipID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, s.rebind(`SELECT id FROM blobs WHERE tip_id = ? AND in_file = 1`), tipID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
