package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Screening returns a tip's sealed screening result ("" blob id: none yet)
// and whether its names should be screened again.
func (s *Store) Screening(ctx context.Context, tipID string) (sealed []byte, rescreen bool, err error) {
	var blobID sql.NullString
	var again int
	if err := s.read.QueryRowContext(ctx, s.rebind(`SELECT screening_blob, rescreen FROM tips WHERE id = ?`), tipID).Scan(&blobID, &again); err != nil {
		return nil, false, fmt.Errorf("failed to read screening: %w", err)
	}
	if !blobID.Valid {
		return nil, again == 1, nil
	}
	sealed, err = s.ReadSmallBlob(ctx, tipID, blobID.String)
	return sealed, again == 1, err
}

// SetScreening replaces a tip's sealed screening result and its has-hits
// flag, and clears the request to screen again.
func (s *Store) SetScreening(ctx context.Context, tipID string, sealed []byte, hasHits bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.setScreening(ctx, tx, tipID, sealed, hasHits)
	})
}

func (s *Store) setScreening(ctx context.Context, tx *sql.Tx, tipID string, sealed []byte, hasHits bool) error {
	var old sql.NullString
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT screening_blob FROM tips WHERE id = ?`), tipID).Scan(&old); err != nil {
		return err
	}
	id, err := s.insertBlob(ctx, tx, tipID, sealed)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `UPDATE tips SET screening_blob = ?, has_hits = ?, rescreen = 0 WHERE id = ?`, id, boolInt(hasHits), tipID); err != nil {
		return err
	}
	if old.Valid {
		_, err = s.exec(ctx, tx, `DELETE FROM blobs WHERE id = ?`, old.String)
	}
	return err
}

// FlagTipsWithTokens marks the open tips that hold any of the blind-index
// tokens as having hits and needing their names screened again. It returns
// how many tips it newly flagged.
func (s *Store) FlagTipsWithTokens(ctx context.Context, tokens []string) (int, error) {
	total := 0
	for start := 0; start < len(tokens); start += 500 {
		batch := tokens[start:min(start+500, len(tokens))]
		args := make([]any, len(batch))
		for i, t := range batch {
			args[i] = t
		}
		res, err := s.writeExec(ctx, `UPDATE tips SET has_hits = 1, rescreen = 1
			WHERE closed_at = 0 AND (has_hits = 0 OR rescreen = 0)
			AND id IN (SELECT tip_id FROM tip_tokens WHERE token IN (`+placeholders(len(batch))+`))`, args...)
		if err != nil {
			return total, fmt.Errorf("failed to flag tips with new hits: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}
