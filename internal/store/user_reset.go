package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tipline/internal/tip"
)

// A forgotten passphrase takes the user's private key with it: nothing can
// open what was wrapped to it. A passphrase reset therefore puts the user
// back where an invited person is. It deletes, like a removal, everything
// that opened or logged in — their copies of report keys, their private
// key, second factors, security keys and sessions — with the same refusals
// (see RemoveUser), and leaves a one-time enrolment code (kept as a hash)
// and an empty public key: a user awaiting a passphrase. Nobody can grant
// them a report and no new report is wrapped to them (OfferRecipients
// leaves them out) until, with their name and the code, they choose a new
// passphrase and enrol a new second factor; their new key pair is made then
// (StartPassphraseEnrolment, CompletePassphraseReset). Their name, roles,
// offer subscriptions and assigned reports stay: assignment is not access
// (a revoke keeps it too), and the report is theirs again once a holder
// grants it back.

var resetting = keyLoss{notDone: "The passphrase was not reset",
	meanwhile: "disable them meanwhile: they cannot log in without their passphrase anyway, and the keys stay"}

// ErrAwaitingPassphrase refuses a grant to a user whose passphrase was
// reset and who has not chosen a new one: they have no key yet.
var ErrAwaitingPassphrase = tip.Errorf(tip.CodeInvalid, "That user's passphrase was reset and they have not chosen a new one yet: they have no key to grant a report to. Grant it once they have logged in with their enrolment code.")

// ErrRecoveryOnlyUnconfirmedReset means a passphrase reset would leave
// reports with the recovery key alone and was not confirmed; nothing was
// changed.
var ErrRecoveryOnlyUnconfirmedReset = tip.Errorf(tip.CodeConflict, "Resetting this passphrase would leave reports that no other desk user holds: confirm to leave them to the offline recovery key.")

// PlanPassphraseReset says what resetting the user's passphrase would do to
// the reports they hold, or why it is refused (see ResetPassphrase),
// changing nothing.
func (s *Store) PlanPassphraseReset(ctx context.Context, userID string) (Removal, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return Removal{}, fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback()
	return s.removalTx(ctx, tx, userID, resetting)
}

// ResetPassphrase resets a forgotten passphrase, in one transaction with the
// audit entry entry attaches: the user's copies of report keys, private key,
// second factors, security keys and sessions are deleted, and the
// enrolment code whose hash is given is all that lets them in again, until
// expires. It refuses, changing nothing, as RemoveUser does: a removed
// user; a report they hold on legal hold, with a reward not denied, or that
// would be left with no copy of its key; reports left to the recovery key
// alone unless leaveToRecovery confirms it (ErrRecoveryOnlyUnconfirmedReset).
// The last enabled admin may be reset: they come back with the code, and
// for a lone admin the command line's reset is the only way back.
func (s *Store) ResetPassphrase(ctx context.Context, userID, enrolCodeHash string, expires time.Time, leaveToRecovery bool, entry RemovalEntry) (r Removal, err error) {
	defer s.cachesChanged(&err)
	err = s.forgetTx(ctx, func(tx *sql.Tx) error {
		holder := tip.HolderOf(userID)
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		if s.postgres {
			// As RemoveUser: the reports first, in one order.
			if _, err := tx.ExecContext(ctx, s.rebind(`SELECT t.id FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? ORDER BY t.id FOR UPDATE OF t`), holder); err != nil {
				return fmt.Errorf("failed to lock reports: %w", err)
			}
		}
		var err error
		if r, err = s.removalTx(ctx, tx, userID, resetting); err != nil {
			return err
		}
		if len(r.RecoveryOnly) > 0 && !leaveToRecovery {
			return ErrRecoveryOnlyUnconfirmedReset
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE users SET password = '', public_key = '', wrapped_key = ?, totp_sealed = ?, totp_last_step = 0, totp_enrolled = 0,
				enrol_code_hash = ?, enrol_code_expires_at = ? WHERE id = ? AND removed_at = 0`,
				[]any{[]byte{}, []byte{}, enrolCodeHash, expires.Unix(), userID}},
			{`DELETE FROM tip_keys WHERE holder = ?`, []any{holder}},
			{`DELETE FROM desk_sessions WHERE user_id = ?`, []any{userID}},
			{`DELETE FROM webauthn_logins WHERE user_id = ?`, []any{userID}},
			{`DELETE FROM webauthn_credentials WHERE user_id = ?`, []any{userID}},
		} {
			if _, err := s.exec(ctx, tx, q.sql, q.args...); err != nil {
				return fmt.Errorf("failed to reset the passphrase: %w", err)
			}
		}
		ectx, err := entry(WithoutAudit(ctx), r)
		if err != nil {
			return err
		}
		return s.appendAttachedTx(ctx, tx, ectx)
	})
	return r, err
}

// StartPassphraseEnrolment begins, for a user awaiting a passphrase who
// logged in with their enrolment code, the enrolment of their new key pair
// and second factor: the new second factor, sealed to the new public key,
// replaces any earlier attempt's, every other session of theirs ends, and
// an enrolment session holding the new private key (wrapped to the
// cookie's secret) starts.
func (s *Store) StartPassphraseEnrolment(ctx context.Context, userID string, totpSealed []byte, sessionID string, sessionKey []byte, expires time.Time) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE users SET totp_sealed = ?, totp_last_step = 0 WHERE id = ? AND public_key = '' AND totp_enrolled = 0 AND disabled = 0 AND removed_at = 0`,
			totpSealed, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeUnauthorized, "this account is not awaiting a new passphrase: log in again")
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM desk_sessions WHERE user_id = ?`, userID); err != nil {
			return err
		}
		return s.insertDeskSession(ctx, tx, sessionID, userID, SessionEnrol, sessionKey, expires)
	})
}

// CompletePassphraseReset puts the new passphrase, key pair and second
// factor in use, spends the enrolment code, ends every session of the user
// (the enrolment session with them) and starts the desk session given, all
// at once. New reports of their offers reach the new public key from then
// on; older ones need a grant.
func (s *Store) CompletePassphraseReset(ctx context.Context, userID, password, publicKey string, wrappedKey []byte, sessionID string, sessionKey []byte, expires time.Time) (err error) {
	defer s.cachesChanged(&err)
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `UPDATE users SET password = ?, public_key = ?, wrapped_key = ?, totp_enrolled = 1, enrol_code_hash = '', enrol_code_expires_at = 0
			WHERE id = ? AND public_key = '' AND totp_enrolled = 0 AND disabled = 0 AND removed_at = 0`, password, publicKey, wrappedKey, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeUnauthorized, "this enrolment has ended: log in again")
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE offer_recipients SET recipient = ? WHERE holder = ?`, []any{publicKey, tip.HolderOf(userID)}},
			{`DELETE FROM desk_sessions WHERE user_id = ?`, []any{userID}},
		} {
			if _, err := s.exec(ctx, tx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return s.insertDeskSession(ctx, tx, sessionID, userID, SessionDesk, sessionKey, expires)
	})
}
