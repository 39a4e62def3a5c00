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

// Removing a desk user (off-boarding) deletes everything of theirs that
// opens or logs in — their copies of report keys, their private key wrapped
// under their passphrase, their second factors, sessions, enrolment code and
// offer subscriptions — and keeps their row, marked removed, with their name
// and roles: the audit log names users by id, and notes, rewards and the
// ledger point at them, so the record must still say who did what. Deleting
// the row would leave the chain verifiable (an entry's hash covers its own
// text) but its actors nameless, and would cascade into records that must
// stay.

// Removal is what removing a user does to the reports they hold.
type Removal struct {
	// Held is how many reports' keys the user holds.
	Held int
	// RecoveryOnly are the reports no other desk user holds: once the user
	// is removed, only the offline recovery key opens them on the desk's
	// side (tipline grant gives them to an analyst), and their sources'
	// receipts while those last.
	RecoveryOnly []string
}

// Summary is the removal's note for the audit log: counts, never which
// reports.
func (r Removal) Summary() string {
	return fmt.Sprintf("keys to %d reports deleted, %d of them left to the recovery key alone; sessions ended", r.Held, len(r.RecoveryOnly))
}

// ErrRecoveryOnlyUnconfirmed means the removal would leave reports with the
// recovery key alone and was not confirmed; nothing was changed.
var ErrRecoveryOnlyUnconfirmed = tip.Errorf(tip.CodeConflict, "Removing this user would leave reports that no other desk user holds: confirm to leave them to the offline recovery key.")

// RemovalEntry attaches to ctx (audit.Log.Attach) the audit entry of a
// removal, given what it does; the store appends it in the removal's
// transaction.
type RemovalEntry func(ctx context.Context, r Removal) (context.Context, error)

// PlanUserRemoval says what removing the user would do, or why it is refused
// (see RemoveUser), changing nothing.
func (s *Store) PlanUserRemoval(ctx context.Context, userID string) (Removal, error) {
	var r Removal
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return r, fmt.Errorf("failed to begin transaction: %w", err)
	}
	defer tx.Rollback()
	return s.removalTx(ctx, tx, userID, removing)
}

// RemoveUser removes a desk user, in one transaction with the audit entry
// entry attaches. It refuses, changing nothing, when the user is already
// removed, or when any report they hold
//   - is on legal hold or has a reward that was not denied: who can read it
//     is part of what the hold or the payment record keeps (as for a revoke,
//     see RevokeHolder; disable the user meanwhile);
//   - would be left with no copy of its key at all: not even the recovery
//     key could open it again;
//   - would be left with the recovery key alone (see Removal), unless
//     leaveToRecovery confirms it (ErrRecoveryOnlyUnconfirmed).
func (s *Store) RemoveUser(ctx context.Context, userID string, leaveToRecovery bool, entry RemovalEntry) (r Removal, err error) {
	defer s.cachesChanged(&err)
	err = s.forgetTx(ctx, func(tx *sql.Tx) error {
		holder := tip.HolderOf(userID)
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		if s.postgres {
			// As RevokeHolder: the reports first, in one order, so a grant,
			// a revoke or another removal that would count this user's copy
			// as the one left waits for this one.
			if _, err := tx.ExecContext(ctx, s.rebind(`SELECT t.id FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? ORDER BY t.id FOR UPDATE OF t`), holder); err != nil {
				return fmt.Errorf("failed to lock reports: %w", err)
			}
		}
		if err := s.keepOneAdmin(ctx, tx, userID); err != nil {
			return err
		}
		var err error
		if r, err = s.removalTx(ctx, tx, userID, removing); err != nil {
			return err
		}
		if len(r.RecoveryOnly) > 0 && !leaveToRecovery {
			return ErrRecoveryOnlyUnconfirmed
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE users SET removed_at = ?, disabled = 1, password = '', wrapped_key = ?, totp_sealed = ?, totp_enrolled = 0,
				enrol_code_hash = '', enrol_code_expires_at = 0, email = '' WHERE id = ? AND removed_at = 0`,
				[]any{time.Now().Unix(), []byte{}, []byte{}, userID}},
			{`DELETE FROM tip_keys WHERE holder = ?`, []any{holder}},
			{`DELETE FROM offer_recipients WHERE holder = ?`, []any{holder}},
			{`DELETE FROM desk_sessions WHERE user_id = ?`, []any{userID}},
			{`DELETE FROM webauthn_logins WHERE user_id = ?`, []any{userID}},
			{`DELETE FROM webauthn_credentials WHERE user_id = ?`, []any{userID}},
			{`UPDATE tips SET assignee = NULL WHERE assignee = ?`, []any{userID}},
		} {
			if _, err := s.exec(ctx, tx, q.sql, q.args...); err != nil {
				return fmt.Errorf("failed to remove the user: %w", err)
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

// keyLoss names an action that deletes every copy of report keys a user
// holds — a removal or a passphrase reset — in its refusals.
type keyLoss struct {
	// notDone opens a refusal: "The user was not removed".
	notDone string
	// meanwhile is what to do instead while a hold or a reward keeps the
	// user's copies.
	meanwhile string
}

var removing = keyLoss{notDone: "The user was not removed",
	meanwhile: "to stop their access now, disable them: their logins end and the keys stay"}

// removalTx works out, inside tx, what deleting the user's copies of report
// keys does (a removal, or a passphrase reset), or refuses it.
func (s *Store) removalTx(ctx context.Context, tx *sql.Tx, userID string, loss keyLoss) (Removal, error) {
	var r Removal
	var removed int64
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT removed_at FROM users WHERE id = ?`), userID).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, tip.Errorf(tip.CodeNotFound, "no such user")
	}
	if err != nil {
		return r, err
	}
	if removed != 0 {
		return r, tip.Errorf(tip.CodeConflict, "This user was removed already.")
	}
	holder := tip.HolderOf(userID)
	rows, err := tx.QueryContext(ctx, s.rebind(`SELECT t.id, t.legal_hold,
		CASE WHEN EXISTS (SELECT 1 FROM rewards w WHERE w.tip_id = t.id AND NOT EXISTS
			(SELECT 1 FROM reward_ledger l WHERE l.reward_id = w.id AND l.kind = 'deny')) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM tip_keys o WHERE o.tip_id = t.id AND o.holder <> ?) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM tip_keys o WHERE o.tip_id = t.id AND o.holder <> ? AND o.holder LIKE 'user:%') THEN 1 ELSE 0 END
		FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE k.holder = ? ORDER BY t.id`), holder, holder, holder)
	if err != nil {
		return r, fmt.Errorf("failed to read the user's reports: %w", err)
	}
	defer rows.Close()
	var onHold, rewarded, noCopy int
	for rows.Next() {
		var id string
		var hold, reward, otherCopy, otherUser int
		if err := rows.Scan(&id, &hold, &reward, &otherCopy, &otherUser); err != nil {
			return r, err
		}
		r.Held++
		onHold += hold
		rewarded += reward
		switch {
		case otherCopy == 0:
			noCopy++
		case otherUser == 0:
			r.RecoveryOnly = append(r.RecoveryOnly, id)
		}
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	var reasons, kept []string
	if onHold > 0 {
		kept = append(kept, reports(onHold)+" on legal hold")
	}
	if rewarded > 0 {
		kept = append(kept, reports(rewarded)+" with an open, approved or paid reward")
	}
	if len(kept) > 0 {
		reasons = append(reasons, "they hold "+strings.Join(kept, " and ")+", which keep their readers until the hold is released and the reward settled "+
			"("+loss.meanwhile+")")
	}
	if noCopy > 0 {
		reasons = append(reasons, fmt.Sprintf("%s would be left with no copy of its key at all, not even the recovery key's, and could never be opened again "+
			"(grant them to another analyst first)", reports(noCopy)))
	}
	if len(reasons) > 0 {
		return r, tip.Errorf(tip.CodeConflict, "%s: %s.", loss.notDone, strings.Join(reasons, "; and "))
	}
	return r, nil
}

// appendAttachedTx appends, inside tx, the audit entries attached to ectx:
// for a write whose entry says what only its own transaction can read.
func (s *Store) appendAttachedTx(ctx context.Context, tx *sql.Tx, ectx context.Context) error {
	due := auditDue(ectx)
	if due == nil {
		return errors.New("the audit entry was not attached")
	}
	for _, seal := range due.seals {
		if _, err := s.appendAuditTx(ctx, tx, seal); err != nil {
			return err
		}
	}
	return nil
}
