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

// DeleteSourceSession ends one session, and scrubs its wrapped key off the
// disk (see forgetTx).
func (s *Store) DeleteSourceSession(ctx context.Context, id string) error {
	_, err := s.forgetExec(ctx, `DELETE FROM source_sessions WHERE id = ?`, id)
	return err
}

// SweepSourceSessions deletes expired sessions, off the disk too; it is
// also when a scrub that could not finish is tried again.
func (s *Store) SweepSourceSessions(ctx context.Context) error {
	_, err := s.forgetExec(ctx, `DELETE FROM source_sessions WHERE expires_at <= ?`, time.Now().Unix())
	return err
}

// SweepDeskSessions deletes what has expired of the desk's logins: sessions
// (each holds its user's private key wrapped under the cookie's secret),
// pending security-key logins and registrations, and invitations'
// activations — off the disk too (see forgetTx).
func (s *Store) SweepDeskSessions(ctx context.Context) error {
	now := time.Now().Unix()
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"desk_sessions", "webauthn_logins", "webauthn_registrations", "activations"} {
			if _, err := s.exec(ctx, tx, `DELETE FROM `+table+` WHERE expires_at <= ?`, now); err != nil {
				return fmt.Errorf("failed to sweep expired %s: %w", table, err)
			}
		}
		return nil
	})
}
