package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"tipline/internal/tip"
)

// A rotation of the recovery key replaces, report by report, every recovery
// copy of a report's key with one wrapped to a new recipient. Its order keeps
// every report recoverable by the old identity or the new one at every
// moment, a crash included:
//
//  1. StartRecoveryRotation makes the new recipient the one new reports are
//     wrapped to and lists, in recovery_pending, every report whose copy is
//     still wrapped to the old one — in one transaction, with its audit entry;
//  2. RewrapRecovery replaces one report's copy and takes it off the list, in
//     a transaction of its own: a rotation stopped anywhere resumes with the
//     reports still listed;
//  3. FinishRecoveryRotation ends the rotation, with its audit entry, once the
//     list is empty.
//
// A report sealed by an app server that had not yet seen the new recipient
// is listed by CommitTips when it commits during the rotation, and refused
// with ErrRecoveryRotated after it (the server wraps it again and retries),
// so no copy wrapped to the old recipient appears once a rotation is over.
// The start and the end take lockWraps exclusive, so no commit straddles
// them.

// ErrRecoveryRotated means a report's recovery copy is wrapped to a recipient
// that is no longer the installation's: wrap it again to Recovery's and retry.
var ErrRecoveryRotated = errors.New("the recovery recipient changed while the report was being sealed")

// ErrRotationUnfinished means reports are still listed for rewrapping.
var ErrRotationUnfinished = errors.New("reports are still waiting to be rewrapped")

// RecoveryState is who reports' recovery copies are wrapped to.
type RecoveryState struct {
	// Recipient is the recipient new reports are wrapped to; "" when the
	// installation never rotated its recovery key, and the key file's is.
	Recipient string
	// RotatingFrom is the recipient a rotation in progress replaces, "" when
	// none runs. Reports listed as pending are still wrapped to it.
	RotatingFrom string
}

// recoveryCacheTTL bounds how long another process's rotation may go unseen
// should its announcement (announceChange) not be heard: what an app server
// seals meanwhile to the old recipient is listed or refused at commit (see
// above), never lost.
const recoveryCacheTTL = time.Second

type recoveryCache struct {
	mu    sync.Mutex
	state RecoveryState
	at    time.Time
}

// recoveryChanged, deferred by a change to the recovery state, clears this
// process's cache and, once the change has committed, every server's.
func (s *Store) recoveryChanged(err *error) {
	s.recovery.clear()
	if *err == nil {
		s.announceChange()
	}
}

func (c *recoveryCache) clear() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}

// Recovery returns the recovery state, read at most a second ago.
func (s *Store) Recovery(ctx context.Context) (RecoveryState, error) {
	c := &s.recovery
	c.mu.Lock()
	if !c.at.IsZero() && time.Since(c.at) < recoveryCacheTTL {
		st := c.state
		c.mu.Unlock()
		return st, nil
	}
	c.mu.Unlock()
	st, err := s.recoveryStateOn(ctx, s.read)
	if err != nil {
		return st, err
	}
	c.mu.Lock()
	c.state, c.at = st, time.Now()
	c.mu.Unlock()
	return st, nil
}

func (s *Store) recoveryStateOn(ctx context.Context, q execer) (RecoveryState, error) {
	var st RecoveryState
	err := q.QueryRowContext(ctx, `SELECT recipient, rotating_from FROM recovery_recipient WHERE id = 1`).Scan(&st.Recipient, &st.RotatingFrom)
	if errors.Is(err, sql.ErrNoRows) {
		return RecoveryState{}, nil
	}
	if err != nil {
		return st, fmt.Errorf("failed to read the recovery recipient: %w", err)
	}
	return st, nil
}

// SameRecipient says whether two recipients' texts are the same key: age's
// bech32 text may be written in either case.
func SameRecipient(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// CountedEntry attaches to ctx (audit.Log.Attach) an audit entry whose
// detail holds a count that only the write's own transaction can read; the
// store appends it in that transaction.
type CountedEntry func(ctx context.Context, count int) (context.Context, error)

// appendCounted appends, inside tx, the entry entry attaches for count.
func (s *Store) appendCounted(ctx context.Context, tx *sql.Tx, entry CountedEntry, count int) error {
	ectx, err := entry(WithoutAudit(ctx), count)
	if err != nil {
		return err
	}
	return s.appendAttachedTx(ctx, tx, ectx)
}

// StartRecoveryRotation makes to the recipient new reports are wrapped to
// and lists every report whose recovery copy is wrapped to from, the
// installation's current recipient. It returns how many are listed, and
// appends entry for that count. It refuses while another rotation is in
// progress.
func (s *Store) StartRecoveryRotation(ctx context.Context, from, to string, entry CountedEntry) (listed int, err error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	defer s.recoveryChanged(&err)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		st, err := s.recoveryStateOn(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case st.RotatingFrom != "":
			return tip.Errorf(tip.CodeConflict, "a rotation of the recovery key is already in progress")
		case st.Recipient != "" && !SameRecipient(st.Recipient, from):
			return tip.Errorf(tip.CodeConflict, "the recovery recipient changed since it was read")
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM recovery_recipient`); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO recovery_recipient (id, recipient, rotating_from, changed_at) VALUES (1, ?, ?, ?)`,
			to, from, time.Now().Unix()); err != nil {
			return fmt.Errorf("failed to record the new recovery recipient: %w", err)
		}
		res, err := s.exec(ctx, tx, `INSERT INTO recovery_pending (tip_id) SELECT tip_id FROM tip_keys WHERE holder = 'recovery'`)
		if err != nil {
			return fmt.Errorf("failed to list the reports to rewrap: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		listed = int(n)
		return s.appendCounted(ctx, tx, entry, listed)
	})
	return listed, err
}

// RecoveryPending returns up to limit reports still to rewrap, in id order.
func (s *Store) RecoveryPending(ctx context.Context, limit int) ([]string, error) {
	return s.queryStrings(ctx, `SELECT tip_id FROM recovery_pending ORDER BY tip_id LIMIT ?`, limit)
}

// RewrapRecovery replaces a report's recovery copy, old, with rewrapped and
// takes the report off the rotation's list. A copy that is no longer old
// (none is: nothing else replaces recovery copies) is left as it is, and a
// report with no recovery copy (old nil) is only taken off the list. The old
// copies are scrubbed off the disk when the rotation finishes.
func (s *Store) RewrapRecovery(ctx context.Context, tipID string, old, rewrapped []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE tip_keys SET wrapped = ? WHERE tip_id = ? AND holder = 'recovery' AND wrapped = ?`, rewrapped, tipID, old); err != nil {
			return fmt.Errorf("failed to rewrap report %s: %w", tipID, err)
		}
		_, err := s.exec(ctx, tx, `DELETE FROM recovery_pending WHERE tip_id = ?`, tipID)
		return err
	})
}

// FinishRecoveryRotation ends the rotation in progress once no report is
// listed, and returns how many reports hold a recovery copy, all wrapped to
// the new recipient, appends entry for that count, and scrubs the old copies
// off the disk (see forgetTx). With reports still listed — reports committed
// since they were read — it changes nothing and returns ErrRotationUnfinished.
func (s *Store) FinishRecoveryRotation(ctx context.Context, entry CountedEntry) (copies int, err error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	defer s.recoveryChanged(&err)
	err = s.forgetTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWraps(ctx, tx, true); err != nil {
			return err
		}
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_pending`).Scan(&pending); err != nil {
			return fmt.Errorf("failed to count the reports to rewrap: %w", err)
		}
		if pending > 0 {
			return ErrRotationUnfinished
		}
		if _, err := s.exec(ctx, tx, `UPDATE recovery_recipient SET rotating_from = '', changed_at = ? WHERE id = 1`, time.Now().Unix()); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tip_keys WHERE holder = 'recovery'`).Scan(&copies); err != nil {
			return err
		}
		return s.appendCounted(ctx, tx, entry, copies)
	})
	return copies, err
}

// checkRecoveryCopies, inside a commit of new reports (under lockWraps),
// lists for the rotation in progress the reports whose recovery copy was
// wrapped to the recipient it replaces, and refuses with ErrRecoveryRotated
// any wrapped to a recipient that is neither the current one nor that.
func (s *Store) checkRecoveryCopies(ctx context.Context, tx *sql.Tx, tips []*NewTip) (pending [][]any, err error) {
	st, err := s.recoveryStateOn(ctx, tx)
	if err != nil || st.Recipient == "" {
		return nil, err
	}
	for _, n := range tips {
		r := n.RecoveryRecipient
		if _, wrapped := n.WrappedKeys["recovery"]; !wrapped || r == "" || SameRecipient(r, st.Recipient) {
			continue
		}
		if !SameRecipient(r, st.RotatingFrom) {
			s.recovery.clear()
			return nil, ErrRecoveryRotated
		}
		pending = append(pending, []any{n.Tip.ID})
	}
	return pending, nil
}
