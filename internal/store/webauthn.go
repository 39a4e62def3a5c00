package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tipline/internal/tip"
)

// WebAuthnCredential is a security key or passkey registered by a desk user
// as a second factor. Nothing in it is secret: a public key and a counter.
type WebAuthnCredential struct {
	ID              string // ours, for links
	UserID          string
	CredentialID    []byte // the authenticator's
	PublicKey       []byte // COSE encoded
	SignCount       uint32
	Transports      []string
	AAGUID          []byte
	Flags           byte // the credential flags (backup eligibility must not change)
	AttestationType string
	Name            string
	CreatedAt       time.Time
	LastUsedAt      time.Time // zero until first used
}

// ErrSignCountBackwards refuses an assertion whose signature counter did not
// move forward: the key may have been cloned, or the assertion replayed.
var ErrSignCountBackwards = tip.Errorf(tip.CodeUnauthorized, "this security key's counter did not move forward: it may have been cloned")

// AddWebAuthnCredential stores a new credential of a user.
func (s *Store) AddWebAuthnCredential(ctx context.Context, c WebAuthnCredential) error {
	_, err := s.writeExec(ctx, `INSERT INTO webauthn_credentials (id, user_id, credential_id, public_key, sign_count, transports, aaguid, flags, attestation_type, name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.UserID, c.CredentialID, c.PublicKey, int64(c.SignCount), strings.Join(c.Transports, ","), nonNil(c.AAGUID), int(c.Flags), c.AttestationType, c.Name, c.CreatedAt.Unix())
	if err != nil {
		if isUniqueViolation(err) {
			return tip.Errorf(tip.CodeConflict, "this security key is registered already")
		}
		return fmt.Errorf("failed to store a security key: %w", err)
	}
	return nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// WebAuthnCredentials lists a user's credentials, oldest first.
func (s *Store) WebAuthnCredentials(ctx context.Context, userID string) ([]WebAuthnCredential, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT id, user_id, credential_id, public_key, sign_count, transports, aaguid, flags, attestation_type, name, created_at, last_used_at
		FROM webauthn_credentials WHERE user_id = ? ORDER BY created_at, id`), userID)
	if err != nil {
		return nil, fmt.Errorf("failed to list security keys: %w", err)
	}
	defer rows.Close()
	var out []WebAuthnCredential
	for rows.Next() {
		var c WebAuthnCredential
		var count, created, used int64
		var flags int
		var transports string
		if err := rows.Scan(&c.ID, &c.UserID, &c.CredentialID, &c.PublicKey, &count, &transports, &c.AAGUID, &flags, &c.AttestationType, &c.Name, &created, &used); err != nil {
			return nil, err
		}
		c.SignCount, c.Flags = uint32(count), byte(flags)
		if transports != "" {
			c.Transports = strings.Split(transports, ",")
		}
		c.CreatedAt = time.Unix(created, 0).UTC()
		if used != 0 {
			c.LastUsedAt = time.Unix(used, 0).UTC()
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RemoveWebAuthnCredential deletes one of a user's credentials. Another
// user's credential is "not found".
func (s *Store) RemoveWebAuthnCredential(ctx context.Context, userID, id string) error {
	res, err := s.writeExec(ctx, `DELETE FROM webauthn_credentials WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("failed to remove a security key: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tip.Errorf(tip.CodeNotFound, "no such security key")
	}
	return nil
}

// UseWebAuthnCredential records a successful assertion: its counter and
// flags. It fails with ErrSignCountBackwards unless the counter moved
// forward — or both the stored and the new counter are zero, as with
// authenticators that keep no counter — also when two logins race.
func (s *Store) UseWebAuthnCredential(ctx context.Context, id string, count uint32, flags byte) error {
	n := int64(count)
	res, err := s.writeExec(ctx, `UPDATE webauthn_credentials SET sign_count = ?, flags = ?, last_used_at = ?
		WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`, n, int(flags), time.Now().Unix(), id, n, n)
	if err != nil {
		return fmt.Errorf("failed to update a security key: %w", err)
	}
	if rows, _ := res.RowsAffected(); rows != 1 {
		return ErrSignCountBackwards
	}
	return nil
}

// CreateWebAuthnLogin records a login whose password was right and whose
// security key is yet to answer. Expired ones are swept on the way.
func (s *Store) CreateWebAuthnLogin(ctx context.Context, id, userID string, wrappedKey []byte, expires time.Time) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM webauthn_logins WHERE expires_at <= ?`, time.Now().Unix()); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO webauthn_logins (id, user_id, wrapped_key, expires_at) VALUES (?, ?, ?, ?)`, id, userID, wrappedKey, expires.Unix())
		return err
	})
}

// WebAuthnLogin returns a live pending login of an enabled user, with the
// ceremony begun for it (nil if none).
func (s *Store) WebAuthnLogin(ctx context.Context, id string) (userID string, wrappedKey, ceremony []byte, err error) {
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT l.user_id, l.wrapped_key, l.ceremony FROM webauthn_logins l JOIN users u ON u.id = l.user_id
		WHERE l.id = ? AND l.expires_at > ? AND u.disabled = 0`), id, time.Now().Unix()).Scan(&userID, &wrappedKey, &ceremony)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil, tip.Errorf(tip.CodeUnauthorized, "this login has ended: start again")
	}
	return userID, wrappedKey, ceremony, err
}

// SetWebAuthnLoginCeremony replaces the ceremony of a pending login.
func (s *Store) SetWebAuthnLoginCeremony(ctx context.Context, id string, ceremony []byte) error {
	_, err := s.writeExec(ctx, `UPDATE webauthn_logins SET ceremony = ? WHERE id = ?`, ceremony, id)
	return err
}

// EndWebAuthnLogin deletes a pending login. It fails if another request
// ended it first, so one pending login becomes at most one session.
func (s *Store) EndWebAuthnLogin(ctx context.Context, id string) error {
	res, err := s.forgetExec(ctx, `DELETE FROM webauthn_logins WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tip.Errorf(tip.CodeUnauthorized, "this login has ended: start again")
	}
	return nil
}

// SetWebAuthnRegistration stores the registration begun from a desk
// session, replacing any earlier one. Expired ones are swept on the way.
func (s *Store) SetWebAuthnRegistration(ctx context.Context, sessionID string, ceremony []byte, expires time.Time) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM webauthn_registrations WHERE session_id = ? OR expires_at <= ?`, sessionID, time.Now().Unix()); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO webauthn_registrations (session_id, ceremony, expires_at) VALUES (?, ?, ?)`, sessionID, ceremony, expires.Unix())
		return err
	})
}

// TakeWebAuthnRegistration returns and deletes the live registration begun
// from a desk session: a ceremony is finished at most once.
func (s *Store) TakeWebAuthnRegistration(ctx context.Context, sessionID string) ([]byte, error) {
	var ceremony []byte
	err := s.forgetTx(ctx, func(tx *sql.Tx) error {
		var expires int64
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT ceremony, expires_at FROM webauthn_registrations WHERE session_id = ?`), sessionID).Scan(&ceremony, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return tip.Errorf(tip.CodeConflict, "no security key registration is under way: start again")
		}
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM webauthn_registrations WHERE session_id = ?`, sessionID); err != nil {
			return err
		}
		if expires <= time.Now().Unix() {
			ceremony = nil
		}
		return nil
	})
	if err == nil && ceremony == nil {
		err = tip.Errorf(tip.CodeConflict, "the security key registration took too long: start again")
	}
	return ceremony, err
}
