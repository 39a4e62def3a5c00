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

// Invitation is a desk user invited by an admin, not yet activated.
type Invitation struct {
	ID        string
	Name      string
	Roles     []tip.Role
	CodeHash  string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// CreateInvitation stores an invitation. A name held by a user or another
// invitation is refused.
func (s *Store) CreateInvitation(ctx context.Context, inv Invitation) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.nameFree(ctx, tx, inv.Name); err != nil {
			return err
		}
		roles := make([]string, len(inv.Roles))
		for i, r := range inv.Roles {
			roles[i] = string(r)
		}
		_, err := s.exec(ctx, tx, `INSERT INTO invitations (id, name, roles, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			inv.ID, inv.Name, strings.Join(roles, " "), inv.CodeHash, inv.ExpiresAt.Unix(), inv.CreatedAt.Unix())
		return err
	})
}

// nameFree refuses a name that a user or an invitation holds.
func (s *Store) nameFree(ctx context.Context, tx *sql.Tx, name string) error {
	var n int
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT (SELECT COUNT(*) FROM users WHERE name = ?) + (SELECT COUNT(*) FROM invitations WHERE name = ?)`), name, name).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return tip.Errorf(tip.CodeConflict, "a user or an invitation named %q already exists", name)
	}
	return nil
}

const invitationColumns = `id, name, roles, code_hash, expires_at, created_at`

func scanInvitation(row scanner) (Invitation, error) {
	var inv Invitation
	var roles string
	var expires, created int64
	err := row.Scan(&inv.ID, &inv.Name, &roles, &inv.CodeHash, &expires, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, tip.Errorf(tip.CodeNotFound, "no such invitation")
	}
	if err != nil {
		return inv, err
	}
	for _, r := range strings.Fields(roles) {
		inv.Roles = append(inv.Roles, tip.Role(r))
	}
	inv.ExpiresAt, inv.CreatedAt = time.Unix(expires, 0), time.Unix(created, 0)
	return inv, nil
}

// InvitationByName returns the invitation of a name.
func (s *Store) InvitationByName(ctx context.Context, name string) (Invitation, error) {
	return scanInvitation(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+invitationColumns+` FROM invitations WHERE name = ?`), name))
}

// Invitations lists the invitations not yet activated, by name.
func (s *Store) Invitations(ctx context.Context) ([]Invitation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("failed to list invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// WithdrawInvitation deletes an invitation and any activation of it.
func (s *Store) WithdrawInvitation(ctx context.Context, id string) error {
	res, err := s.forgetExec(ctx, `DELETE FROM invitations WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tip.Errorf(tip.CodeNotFound, "no such invitation")
	}
	return nil
}

// Activation is an activation in progress (see the activations table).
type Activation struct {
	ID           string
	InvitationID string
	PublicKey    string
	WrappedKey   []byte
	TOTPSealed   []byte
	ExpiresAt    time.Time
}

// StartActivation stores an activation of an invitation.
func (s *Store) StartActivation(ctx context.Context, a Activation) error {
	_, err := s.writeExec(ctx, `INSERT INTO activations (id, invitation_id, public_key, wrapped_key, totp_sealed, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.InvitationID, a.PublicKey, a.WrappedKey, a.TOTPSealed, a.ExpiresAt.Unix())
	return err
}

// ActivationOf returns a live activation and its invitation.
func (s *Store) ActivationOf(ctx context.Context, id string) (Activation, Invitation, error) {
	var a Activation
	var expires int64
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT id, invitation_id, public_key, wrapped_key, totp_sealed, expires_at FROM activations WHERE id = ? AND expires_at > ?`),
		id, time.Now().Unix()).Scan(&a.ID, &a.InvitationID, &a.PublicKey, &a.WrappedKey, &a.TOTPSealed, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return a, Invitation{}, tip.Errorf(tip.CodeUnauthorized, "this activation has ended: log in with your enrolment code again")
	}
	if err != nil {
		return a, Invitation{}, err
	}
	a.ExpiresAt = time.Unix(expires, 0)
	inv, err := scanInvitation(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+invitationColumns+` FROM invitations WHERE id = ?`), a.InvitationID))
	return a, inv, err
}

// Activate turns an invitation into a user, at once: the user with the key
// pair and second factor of the activation, subscribed as a new user of
// the CLI would be (an analyst receives every offer), the invitation and
// its activations gone, and a desk session started. It fails if the
// invitation was withdrawn or activated meanwhile.
func (s *Store) Activate(ctx context.Context, invitationID string, n NewUser, sessionID string, sessionKey []byte, expires time.Time) (err error) {
	defer s.cachesChanged(&err)
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `DELETE FROM invitations WHERE id = ?`, invitationID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return tip.Errorf(tip.CodeUnauthorized, "this invitation was withdrawn or used: ask an admin for a new one")
		}
		if n.User.Has(tip.RoleAnalyst) && len(n.Offers) == 0 {
			if n.Offers, err = s.queryStringsOn(ctx, tx, `SELECT id FROM offers ORDER BY id`); err != nil {
				return err
			}
		}
		if err := s.insertUser(ctx, tx, n); err != nil {
			return err
		}
		return s.insertDeskSession(ctx, tx, sessionID, n.User.ID, SessionDesk, sessionKey, expires)
	})
}
