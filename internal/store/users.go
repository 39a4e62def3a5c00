package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tipline/internal/tip"
)

// NewUser is everything a user is created with.
type NewUser struct {
	User       tip.User
	Password   string // the stored verifier record
	WrappedKey []byte
	TOTPSealed []byte
	// TOTPLastStep is the step of a code already used (at an activation).
	TOTPLastStep int64
	Offers       []string // offers whose new tips are wrapped to the user
}

// CreateUser stores a user, their roles and their offer subscriptions at
// once. A name held by a user or an invitation is refused.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (err error) {
	defer s.cachesChanged(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.nameFree(ctx, tx, n.User.Name); err != nil {
			return err
		}
		return s.insertUser(ctx, tx, n)
	})
}

func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, n NewUser) error {
	u := n.User
	_, err := s.exec(ctx, tx, `INSERT INTO users (id, name, password, public_key, wrapped_key, totp_sealed, totp_last_step, totp_enrolled, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, n.Password, u.PublicKey, n.WrappedKey, n.TOTPSealed, n.TOTPLastStep, boolInt(u.TOTPEnrolled), u.Email, time.Now().Unix())
	if err != nil {
		if isUniqueViolation(err) {
			return tip.Errorf(tip.CodeConflict, "a user named %q already exists", u.Name)
		}
		return fmt.Errorf("failed to create user: %w", err)
	}
	for _, r := range u.Roles {
		if _, err := s.exec(ctx, tx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return err
		}
	}
	for _, o := range n.Offers {
		if _, err := s.exec(ctx, tx, `INSERT INTO offer_recipients (offer_id, holder, recipient) VALUES (?, ?, ?)`, o, u.Holder(), u.PublicKey); err != nil {
			return fmt.Errorf("failed to add the user to offer %s: %w", o, err)
		}
	}
	return nil
}

// UserSecrets is what login needs beyond the user.
type UserSecrets struct {
	Password     string
	WrappedKey   []byte
	TOTPSealed   []byte
	TOTPLastStep int64
	// EnrolCodeHash is the hash of the one-time code that lets the user
	// enrol a new second factor after a reset ("" when none is pending);
	// it is good until EnrolCodeExpires.
	EnrolCodeHash    string
	EnrolCodeExpires time.Time
}

const userColumns = `id, name, public_key, disabled, totp_enrolled, created_at, password, wrapped_key, totp_sealed, totp_last_step, enrol_code_hash, enrol_code_expires_at, last_login_hour, email, removed_at`

func (s *Store) scanUser(ctx context.Context, row scanner) (tip.User, UserSecrets, error) {
	var u tip.User
	var sec UserSecrets
	var disabled, enrolled int
	var created, enrolExpires, lastLogin, removed int64
	err := row.Scan(&u.ID, &u.Name, &u.PublicKey, &disabled, &enrolled, &created, &sec.Password, &sec.WrappedKey, &sec.TOTPSealed, &sec.TOTPLastStep,
		&sec.EnrolCodeHash, &enrolExpires, &lastLogin, &u.Email, &removed)
	sec.EnrolCodeExpires = time.Unix(enrolExpires, 0)
	u.LastLogin, u.Removed = timeOrZero(lastLogin), timeOrZero(removed)
	if errors.Is(err, sql.ErrNoRows) {
		return u, sec, tip.Errorf(tip.CodeNotFound, "no such user")
	}
	if err != nil {
		return u, sec, err
	}
	u.Disabled, u.TOTPEnrolled, u.CreatedAt = disabled == 1, enrolled == 1, time.Unix(created, 0).UTC()
	u.Roles, err = s.userRoles(ctx, u.ID)
	return u, sec, err
}

// UserByName returns a user and their login secrets.
func (s *Store) UserByName(ctx context.Context, name string) (tip.User, UserSecrets, error) {
	return s.scanUser(ctx, s.read.QueryRowContext(ctx, s.rebind(`SELECT `+userColumns+` FROM users WHERE name = ?`), name))
}

// User returns a user by id.
func (s *Store) User(ctx context.Context, id string) (tip.User, error) {
	u, _, err := s.scanUser(ctx, s.read.QueryRowContext(ctx, s.rebind(`SELECT `+userColumns+` FROM users WHERE id = ?`), id))
	return u, err
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]tip.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("failed to list users: %w", err)
	}
	var out []tip.User
	for rows.Next() {
		u, _, err := s.scanUser(ctx, rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	return out, rows.Err()
}

func (s *Store) userRoles(ctx context.Context, id string) ([]tip.Role, error) {
	names, err := s.queryStrings(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, id)
	roles := make([]tip.Role, len(names))
	for i, n := range names {
		roles[i] = tip.Role(n)
	}
	return roles, err
}

// UseTOTPStep records that a second-factor code of this step was used. It
// fails with tip.ErrReplayedCode if that step, or a later one, was used
// already — also when two logins race with the same code.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) error {
	res, err := s.writeExec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tip.ErrReplayedCode
	}
	return nil
}

// SetUserDisabled disables or enables a user. Disabling ends their sessions
// and stops new reports reaching them (OfferRecipients leaves them out);
// their keys to older reports and their offer subscriptions are kept, so an
// enabled user again receives their offers' new reports — not those that
// arrived meanwhile, which need a grant. The ended sessions' wrapped keys
// are scrubbed off the disk (see forgetTx).
func (s *Store) SetUserDisabled(ctx context.Context, id string, disabled bool) (err error) {
	defer s.cachesChanged(&err)
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		if disabled {
			if err := s.lockWraps(ctx, tx, true); err != nil {
				return err
			}
		}
		if disabled {
			if err := s.keepOneAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		res, err := s.exec(ctx, tx, `UPDATE users SET disabled = ? WHERE id = ? AND removed_at = 0`, boolInt(disabled), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.noCurrentUser(ctx, tx, id)
		}
		if disabled {
			_, err := s.exec(ctx, tx, `DELETE FROM desk_sessions WHERE user_id = ?`, id)
			return err
		}
		return nil
	})
}

// ResetSecondFactor replaces a user's TOTP secret (sealed to their public key),
// removes their security keys — a second factor reset because it may be
// compromised must not leave another one working — and ends their sessions;
// they enrol again at their next login, with the enrolment code whose hash
// is given.
func (s *Store) ResetSecondFactor(ctx context.Context, id string, sealed []byte, enrolCodeHash string, expires time.Time) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE users SET totp_sealed = ?, totp_last_step = 0, totp_enrolled = 0, enrol_code_hash = ?, enrol_code_expires_at = ? WHERE id = ? AND removed_at = 0`,
			sealed, enrolCodeHash, expires.Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.noCurrentUser(ctx, tx, id)
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM webauthn_credentials WHERE user_id = ?`, id); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `DELETE FROM desk_sessions WHERE user_id = ?`, id)
		return err
	})
}

// CompleteEnrolment puts a re-enrolled second factor in use, spends the
// enrolment code, ends every session of the user (the enrolment session
// with them) and starts the desk session given, all at once: no session
// started before the enrolment becomes a desk session.
func (s *Store) CompleteEnrolment(ctx context.Context, userID, sessionID string, wrappedKey []byte, expires time.Time) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE users SET totp_enrolled = 1, enrol_code_hash = '', enrol_code_expires_at = 0 WHERE id = ? AND totp_enrolled = 0 AND public_key <> ''`, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeUnauthorized, "this enrolment has ended: log in again")
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM desk_sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return s.insertDeskSession(ctx, tx, sessionID, userID, SessionDesk, wrappedKey, expires)
	})
}

// noCurrentUser says why a change to a user's account matched no row: the
// user was removed, and a removed account is never used again, or there is
// no such user.
func (s *Store) noCurrentUser(ctx context.Context, tx *sql.Tx, id string) error {
	var removed int64
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT removed_at FROM users WHERE id = ?`), id).Scan(&removed)
	if err == nil && removed != 0 {
		return tip.Errorf(tip.CodeConflict, "This user was removed: a removed account is never used again. Add them anew, under another name, if they come back.")
	}
	return tip.Errorf(tip.CodeNotFound, "no such user")
}

// ErrLastAdmin refuses to disable or remove the last admin who can log in:
// nobody would be left to manage users, offers and lists from the desk.
var ErrLastAdmin = tip.Errorf(tip.CodeConflict, "This is the last enabled admin: nobody could manage the desk after this. Invite or enable another admin first (or, on the server, tipline user add --role admin).")

// keepOneAdmin refuses, inside tx, to disable or remove user id when they are
// an enabled admin and no other enabled admin is left. Callers on
// PostgreSQL hold lockWraps exclusively, so two such changes to two admins
// cannot both pass it.
func (s *Store) keepOneAdmin(ctx context.Context, tx *sql.Tx, id string) error {
	var others, isAdmin int
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT
		(SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE r.role = 'admin' AND u.id <> ? AND u.disabled = 0 AND u.removed_at = 0),
		(SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE r.role = 'admin' AND u.id = ? AND u.disabled = 0 AND u.removed_at = 0)`), id, id).Scan(&others, &isAdmin)
	if err != nil {
		return fmt.Errorf("failed to count admins: %w", err)
	}
	if isAdmin > 0 && others == 0 {
		return ErrLastAdmin
	}
	return nil
}

// The kinds of desk session: a full login, and an enrolment in progress,
// which opens only the enrolment pages.
const (
	SessionDesk  = "desk"
	SessionEnrol = "enrol"
)

// SetEmail sets where a user's notifications go ("" for none).
func (s *Store) SetEmail(ctx context.Context, id, email string) error {
	_, err := s.writeExec(ctx, `UPDATE users SET email = ? WHERE id = ?`, email, id)
	return err
}

// SetPassword replaces a user's password record and their private key
// wrapped under it: the same key, under a record made anew. The key wrapped
// under the old password is scrubbed off the disk (see forgetTx): that
// password may be why it changed.
func (s *Store) SetPassword(ctx context.Context, id, password string, wrappedKey []byte) error {
	_, err := s.forgetExec(ctx, `UPDATE users SET password = ?, wrapped_key = ? WHERE id = ?`, password, wrappedKey, id)
	return err
}

// CreateDeskSession records a login or an enrolment in progress.
func (s *Store) CreateDeskSession(ctx context.Context, id, userID, kind string, wrappedKey []byte, expires time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.insertDeskSession(ctx, tx, id, userID, kind, wrappedKey, expires)
	})
}

func (s *Store) insertDeskSession(ctx context.Context, tx *sql.Tx, id, userID, kind string, wrappedKey []byte, expires time.Time) error {
	now := time.Now()
	_, err := s.exec(ctx, tx, `INSERT INTO desk_sessions (id, user_id, kind, wrapped_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		id, userID, kind, wrappedKey, now.Unix(), expires.Unix())
	if err != nil || kind != SessionDesk {
		return err
	}
	_, err = s.exec(ctx, tx, `UPDATE users SET last_login_hour = ? WHERE id = ?`, now.Truncate(time.Hour).Unix(), userID)
	return err
}

// DeskSession returns the user and wrapped key of a live session of the
// given kind of an enabled user.
func (s *Store) DeskSession(ctx context.Context, id, kind string) (userID string, wrappedKey []byte, err error) {
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT d.user_id, d.wrapped_key FROM desk_sessions d JOIN users u ON u.id = d.user_id
		WHERE d.id = ? AND d.kind = ? AND d.expires_at > ? AND u.disabled = 0`), id, kind, time.Now().Unix()).Scan(&userID, &wrappedKey)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	return userID, wrappedKey, err
}

// EndDeskSessions ends one session, or every session of a user when id is
// "", and scrubs their wrapped keys off the disk (see forgetTx).
func (s *Store) EndDeskSessions(ctx context.Context, userID, id string) error {
	if id != "" {
		_, err := s.forgetExec(ctx, `DELETE FROM desk_sessions WHERE id = ?`, id)
		return err
	}
	_, err := s.forgetExec(ctx, `DELETE FROM desk_sessions WHERE user_id = ?`, userID)
	return err
}

// TipsOfOffer lists the ids of an offer's tips, or of every tip when
// offerID is "".
func (s *Store) TipsOfOffer(ctx context.Context, offerID string) ([]string, error) {
	if offerID == "" {
		return s.TipIDs(ctx)
	}
	return s.queryStrings(ctx, `SELECT id FROM tips WHERE offer_id = ? ORDER BY id`, offerID)
}
