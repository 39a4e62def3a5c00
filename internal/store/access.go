package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tipline/internal/tip"
)

// Who holds a tip's key is who can read it. Desk users' copies come and go
// (a grant adds one, a revoke deletes them); the receipt's copy is the
// source's and ends only when the source ends it; the offline recovery key's
// copy is what keeps a report recoverable when every desk copy is gone. The
// rules below are enforced here, in the transaction that changes the keys,
// so that the desk, the command line and any later caller all get them.

// UserOfHolder returns the desk user a holder name stands for. The receipt's
// and the recovery key's names are refused as forbidden — no one grants to
// them, revokes them or subscribes them — and anything else that is not
// "user:<id>" of an existing user as invalid.
func (s *Store) UserOfHolder(ctx context.Context, holder string) (tip.User, error) {
	if err := holderIsUser(holder); err != nil {
		return tip.User{}, err
	}
	u, err := s.User(ctx, strings.TrimPrefix(holder, "user:"))
	if tip.ErrorCode(err) == tip.CodeNotFound {
		return u, errNoSuchHolder
	}
	return u, err
}

var errNoSuchHolder = tip.Errorf(tip.CodeInvalid, "No such desk user: a holder is written user:ID, for the ID of an existing user.")

func holderIsUser(holder string) error {
	switch {
	case holder == "receipt" || holder == "recovery":
		return tip.Errorf(tip.CodeForbidden, "The %s's copy of a report's key is never granted, revoked or removed from the desk: "+
			"the receipt's is the source's own way back to the report, and the recovery key's keeps every report recoverable. "+
			"Only desk users' access is managed here.", holder)
	case !tip.IsUserHolder(holder):
		return errNoSuchHolder
	}
	return nil
}

// userHolderTx checks, inside tx, that holder is an existing user's and
// returns whether that user is disabled.
func (s *Store) userHolderTx(ctx context.Context, tx *sql.Tx, holder string) (disabled bool, err error) {
	if err := holderIsUser(holder); err != nil {
		return false, err
	}
	var d int
	err = tx.QueryRowContext(ctx, s.rebind(`SELECT disabled FROM users WHERE id = ?`), strings.TrimPrefix(holder, "user:")).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return false, errNoSuchHolder
	}
	return d == 1, err
}

// GrantTipKey wraps (stores) a tip key for a desk user.
func (s *Store) GrantTipKey(ctx context.Context, tipID, holder string, wrapped []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.grantTx(ctx, tx, tipID, holder, wrapped) })
}

// grantTx stores a tip key wrapped to an enabled desk user, replacing any
// copy they held. Only users' copies are ever replaced: a grant to "receipt"
// or "recovery" would overwrite the source's or the recovery key's copy.
func (s *Store) grantTx(ctx context.Context, tx *sql.Tx, tipID, holder string, wrapped []byte) error {
	disabled, err := s.userHolderTx(ctx, tx, holder)
	if err != nil {
		return err
	}
	if disabled {
		return tip.Errorf(tip.CodeInvalid, "That user is disabled: no report is granted to a disabled user. Enable them first.")
	}
	// A grant wrapped to the key a passphrase reset just deleted would be
	// a copy nobody can open.
	var awaiting int
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM users WHERE id = ? AND public_key = ''`), strings.TrimPrefix(holder, "user:")).Scan(&awaiting); err != nil {
		return err
	}
	if awaiting > 0 {
		return ErrAwaitingPassphrase
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM tip_keys WHERE tip_id = ? AND holder = ?`, tipID, holder); err != nil {
		return err
	}
	_, err = s.exec(ctx, tx, `INSERT INTO tip_keys (tip_id, holder, wrapped) VALUES (?, ?, ?)`, tipID, holder, wrapped)
	return err
}

// RevokeHolder deletes a desk user's copies of tip keys — of one offer's
// tips, or of every tip when offerID is "" — and their subscription to that
// offer's (or every offer's) new tips: their access ends at once, and the
// wrapped keys leave the disk (see forgetTx).
//
// It changes nothing, and says why, when holder is not an existing user's
// (see UserOfHolder), or when any of those tips
//   - is on legal hold, or has a reward that was not denied (open, approved
//     or paid): who can read such a report is part of what the hold or the
//     payment record keeps, so the revoke is refused whole rather than done
//     in part — a partial revoke would leave the access the admin meant to
//     end, without their noticing. Disabling the user ends their access at
//     once and keeps the keys;
//   - would be left with no copy but the recovery key's: no desk user and no
//     receipt could open it, only someone with the offline key.
func (s *Store) RevokeHolder(ctx context.Context, holder, offerID string) (err error) {
	defer s.cachesChanged(&err)
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		if _, err := s.userHolderTx(ctx, tx, holder); err != nil {
			return err
		}
		scope, args := `k.holder = ?`, []any{holder}
		if offerID != "" {
			scope, args = scope+` AND t.offer_id = ?`, append(args, offerID)
		}
		if s.postgres {
			// Lock the tips first, in one order: two revokes that each
			// count the other's copy as the one left then run one after
			// the other, and so do a recommendation or a legal hold.
			if _, err := tx.ExecContext(ctx, s.rebind(`SELECT t.id FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE `+scope+` ORDER BY t.id FOR UPDATE OF t`), args...); err != nil {
				return fmt.Errorf("failed to lock reports: %w", err)
			}
		}
		if err := s.revocable(ctx, tx, holder, scope, args); err != nil {
			return err
		}
		if offerID == "" {
			if _, err := s.exec(ctx, tx, `DELETE FROM tip_keys WHERE holder = ?`, holder); err != nil {
				return err
			}
			_, err := s.exec(ctx, tx, `DELETE FROM offer_recipients WHERE holder = ?`, holder)
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM tip_keys WHERE holder = ? AND tip_id IN (SELECT id FROM tips WHERE offer_id = ?)`, holder, offerID); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM offer_recipients WHERE holder = ? AND offer_id = ?`, holder, offerID)
		return err
	})
}

// revocable counts, among the tips whose keys the revoke would delete, those
// it must not touch, and refuses with the counts and what to do.
func (s *Store) revocable(ctx context.Context, tx *sql.Tx, holder, scope string, args []any) error {
	var held, rewarded, lastCopy int
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT
		COALESCE(SUM(CASE WHEN t.legal_hold = 1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM rewards r WHERE r.tip_id = t.id AND NOT EXISTS
			(SELECT 1 FROM reward_ledger l WHERE l.reward_id = r.id AND l.kind = 'deny')) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM tip_keys o WHERE o.tip_id = t.id AND o.holder <> ? AND o.holder <> 'recovery')
			THEN 1 ELSE 0 END), 0)
		FROM tips t JOIN tip_keys k ON k.tip_id = t.id WHERE `+scope), append([]any{holder}, args...)...).Scan(&held, &rewarded, &lastCopy)
	if err != nil {
		return fmt.Errorf("failed to check what the revoke would touch: %w", err)
	}
	var reasons []string
	var kept []string
	if held > 0 {
		kept = append(kept, reports(held)+" on legal hold")
	}
	if rewarded > 0 {
		kept = append(kept, reports(rewarded)+" with an open, approved or paid reward")
	}
	if len(kept) > 0 {
		reasons = append(reasons, strings.Join(kept, " and ")+" keep their readers until the hold is released and the reward settled "+
			"(to stop this user's access now, disable them: their logins end and the keys stay)")
	}
	if lastCopy > 0 {
		reasons = append(reasons, fmt.Sprintf("%s would be left with only the offline recovery key's copy, which no desk user and no source could open "+
			"(grant them to another analyst first, from the report's page or with tipline grant, then revoke)", reports(lastCopy)))
	}
	if len(reasons) > 0 {
		return tip.Errorf(tip.CodeConflict, "Nothing was revoked: %s.", strings.Join(reasons, "; and "))
	}
	return nil
}

func reports(n int) string {
	if n == 1 {
		return "1 report"
	}
	return fmt.Sprintf("%d reports", n)
}
