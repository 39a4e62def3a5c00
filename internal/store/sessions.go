package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tipline/internal/tip"
)

// CreateSourceSession records a receipt login. id is a hash of the cookie's
// session id; wrappedKey is the tip key wrapped under the cookie's secret.
func (s *Store) CreateSourceSession(ctx context.Context, id, tipID string, wrappedKey []byte, expires time.Time) error {
	_, err := s.writeExec(ctx, `INSERT INTO source_sessions (id, tip_id, wrapped_key, expires_at) VALUES (?, ?, ?, ?)`, id, tipID, wrappedKey, expires.Unix())
	if err != nil {
		return fmt.Errorf("failed to start session: %w", err)
	}
	return nil
}

// SourceSession returns the tip and wrapped key of a live session.
func (s *Store) SourceSession(ctx context.Context, id string) (tipID string, wrappedKey []byte, err error) {
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT tip_id, wrapped_key FROM source_sessions WHERE id = ? AND expires_at > ?`), id, time.Now().Unix()).Scan(&tipID, &wrappedKey)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, tip.Errorf(tip.CodeUnauthorized, "your session has ended: enter your receipt again")
	}
	return tipID, wrappedKey, err
}

// DeleteSourceSession ends one session.
func (s *Store) DeleteSourceSession(ctx context.Context, id string) error {
	_, err := s.writeExec(ctx, `DELETE FROM source_sessions WHERE id = ?`, id)
	return err
}

// SweepSourceSessions deletes expired sessions.
func (s *Store) SweepSourceSessions(ctx context.Context) error {
	_, err := s.writeExec(ctx, `DELETE FROM source_sessions WHERE expires_at <= ?`, time.Now().Unix())
	return err
}
