package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"tipline/internal/tip"
)

// RewardCeiling returns the installation-wide ceiling on one report's
// rewards, in whole US dollars.
func (s *Store) RewardCeiling(ctx context.Context) (int64, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'reward_ceiling_usd'`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("failed to read the reward ceiling: %w", err)
	}
	return strconv.ParseInt(v, 10, 64)
}

// lockTip serialises reward decisions on one tip. SQLite's write
// transactions are already serial (BEGIN IMMEDIATE on one connection); on
// PostgreSQL the tip's row is locked until commit, so two approvals racing
// past the cap cannot both see room under it.
func (s *Store) lockTip(ctx context.Context, tx *sql.Tx, tipID string) error {
	if !s.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM tips WHERE id = $1 FOR UPDATE`, tipID)
	return err
}

// capOf returns the cap on a tip's rewards: its offer's maximum, bounded by
// the ceiling.
func (s *Store) capOf(ctx context.Context, tx *sql.Tx, tipID string) (int64, error) {
	var offerMax int64
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT o.max_reward_usd FROM tips t JOIN offers o ON o.id = t.offer_id WHERE t.id = ?`), tipID).Scan(&offerMax)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tip.Errorf(tip.CodeNotFound, "no such report")
	}
	if err != nil {
		return 0, err
	}
	var v string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'reward_ceiling_usd'`).Scan(&v); err != nil {
		return 0, err
	}
	ceiling, _ := strconv.ParseInt(v, 10, 64)
	return min(offerMax, ceiling), nil
}

// committedUSD sums what is approved or paid on a tip.
func (s *Store) committedUSD(ctx context.Context, q execer, tipID string) (int64, error) {
	rewards, err := s.rewardsWhere(ctx, q, `tip_id = ?`, tipID)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, r := range rewards {
		if r.CountsTowardCap() {
			sum += r.AmountUSD
		}
	}
	return sum, nil
}

// Recommend records a recommendation. One over the cap — with what is
// already approved on the report — is refused.
func (s *Store) Recommend(ctx context.Context, r *tip.Reward, sealedJustification []byte, shares map[string][]byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockTip(ctx, tx, r.TipID); err != nil {
			return err
		}
		limit, err := s.capOf(ctx, tx, r.TipID)
		if err != nil {
			return err
		}
		committed, err := s.committedUSD(ctx, tx, r.TipID)
		if err != nil {
			return err
		}
		if r.AmountUSD <= 0 {
			return tip.Errorf(tip.CodeInvalid, "the amount must be a positive number of whole US dollars")
		}
		if committed+r.AmountUSD > limit {
			return tip.Errorf(tip.CodeConflict, "%s would exceed this report's cap of %s (%s already approved): recommend at most %s",
				tip.USD(r.AmountUSD), tip.USD(limit), tip.USD(committed), tip.USD(max(0, limit-committed)))
		}
		blob, err := s.insertBlob(ctx, tx, r.TipID, sealedJustification)
		if err != nil {
			return err
		}
		r.JustificationBlob = blob
		_, err = s.exec(ctx, tx, `INSERT INTO rewards (id, tip_id, offer_id, amount_usd, recommended_by, recommended_at, justification_blob)
			SELECT ?, id, offer_id, ?, ?, ?, ? FROM tips WHERE id = ?`,
			r.ID, r.AmountUSD, r.RecommendedBy, r.RecommendedAt.Unix(), blob, r.TipID)
		if err != nil {
			return err
		}
		for holder, wrapped := range shares {
			if err := s.grantTx(ctx, tx, r.TipID, holder, wrapped); err != nil {
				return err
			}
		}
		return nil
	})
}

// ShareReward stores a reward's report key wrapped to committee members
// who could not read it (shares by holder), while the reward is open: a
// decided reward leaves the committee nothing to read it for.
func (s *Store) ShareReward(ctx context.Context, rewardID string, shares map[string][]byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := s.rewardIn(ctx, tx, rewardID)
		if err != nil {
			return err
		}
		if err := s.lockTip(ctx, tx, r.TipID); err != nil {
			return err
		}
		if r, err = s.rewardIn(ctx, tx, rewardID); err != nil {
			return err
		}
		if !r.Open() {
			return tip.Errorf(tip.CodeConflict, "this reward is %s: the committee has nothing left to decide on it", r.State())
		}
		for holder, wrapped := range shares {
			if err := s.grantTx(ctx, tx, r.TipID, holder, wrapped); err != nil {
				return err
			}
		}
		return nil
	})
}

// Decision is a ledger entry to append, with its checks.
type Decision struct {
	RewardID string
	Kind     tip.LedgerKind
	Actor    string      // user id
	Payment  tip.Payment // pay: checked against the approval here
	Sealed   []byte      // sealed detail: a reason, a payment reference
}

// Decide appends a decision to a reward's ledger, enforcing the rules in one
// transaction: the recommender never approves; a member approves once; an
// approval that would take the report past its cap is refused; only an
// approved reward is paid, and only what was approved (tip.Payment.Check);
// nothing follows a denial or a payment but a correction.
func (s *Store) Decide(ctx context.Context, d Decision) (tip.Reward, error) {
	var out tip.Reward
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		r, err := s.rewardIn(ctx, tx, d.RewardID)
		if err != nil {
			return err
		}
		if err := s.lockTip(ctx, tx, r.TipID); err != nil {
			return err
		}
		// Read again under the lock: the first read may be stale.
		if r, err = s.rewardIn(ctx, tx, d.RewardID); err != nil {
			return err
		}
		if err := s.checkDecision(ctx, tx, r, d); err != nil {
			return err
		}
		var detail any
		if d.Sealed != nil {
			id, err := s.insertBlob(ctx, tx, r.TipID, d.Sealed)
			if err != nil {
				return err
			}
			detail = id
		}
		e := tip.LedgerEntry{ID: tip.NewID(), Seq: len(r.Ledger) + 1, Kind: d.Kind, Actor: d.Actor, At: time.Now().UTC()}
		if d.Kind == tip.LedgerPay {
			e.Paid, _ = tip.ParsePaid(d.Payment.Paid) // checked above
			e.Currency, e.Method, e.ValueUSD = d.Payment.Currency, d.Payment.Method, d.Payment.ValueUSD
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO reward_ledger (id, reward_id, seq, kind, actor, at, amount, paid, currency, method, detail_blob)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, r.ID, e.Seq, string(e.Kind), e.Actor, e.At.Unix(), e.ValueUSD, e.Paid, e.Currency, e.Method, detail); err != nil {
			if isUniqueViolation(err) {
				return tip.Errorf(tip.CodeConflict, "another decision on this reward was recorded at the same moment: reload and try again")
			}
			return err
		}
		r.Ledger = append(r.Ledger, e)
		out = r
		return nil
	})
	return out, err
}

func (s *Store) checkDecision(ctx context.Context, tx *sql.Tx, r tip.Reward, d Decision) error {
	state := r.State()
	switch d.Kind {
	case tip.LedgerApprove, tip.LedgerDeny:
		if state != tip.RewardRecommended {
			return tip.Errorf(tip.CodeConflict, "this reward is already %s", state)
		}
		if d.Actor == r.RecommendedBy {
			return tip.Errorf(tip.CodeForbidden, "you recommended this reward, so you cannot decide on it")
		}
		if d.Kind == tip.LedgerDeny {
			return nil
		}
		for _, a := range r.Approvers() {
			if a == d.Actor {
				return tip.Errorf(tip.CodeConflict, "you have approved this reward already: a second committee member must approve it")
			}
		}
		if len(r.Approvers())+1 < tip.ApprovalsNeeded {
			return nil
		}
		limit, err := s.capOf(ctx, tx, r.TipID)
		if err != nil {
			return err
		}
		committed, err := s.committedUSD(ctx, tx, r.TipID)
		if err != nil {
			return err
		}
		if committed+r.AmountUSD > limit {
			return tip.Errorf(tip.CodeConflict, "approving %s would take this report past its cap of %s (%s already approved)",
				tip.USD(r.AmountUSD), tip.USD(limit), tip.USD(committed))
		}
	case tip.LedgerPay:
		if state != tip.RewardApproved {
			return tip.Errorf(tip.CodeConflict, "only an approved reward can be paid; this one is %s", state)
		}
		if err := d.Payment.Check(r.AmountUSD); err != nil {
			return err
		}
	case tip.LedgerCorrect:
	default:
		return tip.Errorf(tip.CodeInvalid, "unknown decision %q", d.Kind)
	}
	return nil
}

// Reward returns one reward with its ledger.
func (s *Store) Reward(ctx context.Context, id string) (tip.Reward, error) {
	return s.rewardIn(ctx, s.read, id)
}

func (s *Store) rewardIn(ctx context.Context, q execer, id string) (tip.Reward, error) {
	rs, err := s.rewardsWhere(ctx, q, `id = ?`, id)
	if err != nil {
		return tip.Reward{}, err
	}
	if len(rs) == 0 {
		return tip.Reward{}, tip.Errorf(tip.CodeNotFound, "no such reward")
	}
	return rs[0], nil
}

// RewardsOfTip lists a tip's rewards, oldest first.
func (s *Store) RewardsOfTip(ctx context.Context, tipID string) ([]tip.Reward, error) {
	return s.rewardsWhere(ctx, s.read, `tip_id = ?`, tipID)
}

// AllRewards lists every reward, oldest first: the ledger, for oversight and
// for verification.
func (s *Store) AllRewards(ctx context.Context) ([]tip.Reward, error) {
	return s.rewardsWhere(ctx, s.read, `id IS NOT NULL`)
}

func (s *Store) rewardsWhere(ctx context.Context, q execer, cond string, args ...any) ([]tip.Reward, error) {
	rows, err := q.QueryContext(ctx, s.rebind(`SELECT id, tip_id, offer_id, amount_usd, recommended_by, recommended_at, justification_blob
		FROM rewards WHERE `+cond+` ORDER BY recommended_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("failed to list rewards: %w", err)
	}
	var out []tip.Reward
	index := map[string]int{}
	for rows.Next() {
		var r tip.Reward
		var at int64
		if err := rows.Scan(&r.ID, &r.TipID, &r.OfferID, &r.AmountUSD, &r.RecommendedBy, &at, &r.JustificationBlob); err != nil {
			rows.Close()
			return nil, err
		}
		r.RecommendedAt = time.Unix(at, 0).UTC()
		index[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	lrows, err := q.QueryContext(ctx, s.rebind(`SELECT l.reward_id, l.id, l.seq, l.kind, l.actor, l.at, l.amount, l.paid, l.currency, l.method, COALESCE(l.detail_blob, '')
		FROM reward_ledger l JOIN rewards r ON r.id = l.reward_id WHERE r.`+cond+` ORDER BY l.reward_id, l.seq`), args...)
	if err != nil {
		return nil, fmt.Errorf("failed to read the reward ledger: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var rid, kind string
		var e tip.LedgerEntry
		var at int64
		if err := lrows.Scan(&rid, &e.ID, &e.Seq, &kind, &e.Actor, &at, &e.ValueUSD, &e.Paid, &e.Currency, &e.Method, &e.DetailBlob); err != nil {
			return nil, err
		}
		e.Kind, e.At = tip.LedgerKind(kind), time.Unix(at, 0).UTC()
		if i, ok := index[rid]; ok {
			out[i].Ledger = append(out[i].Ledger, e)
		}
	}
	return out, lrows.Err()
}
