package desk

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tipline/internal/account"
	"tipline/internal/reward"
	"tipline/internal/screening"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

// recommend records an analyst's recommendation of a reward on a report —
// whether or not the source asked for one — and wraps the report's key, from
// the analyst's session, to every committee member, so they can read what
// they decide on.
func (s *Server) recommend(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2*tip.MaxMessageBytes)
	amount, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("amount")), ",", ""), 10, 64)
	if err != nil || amount <= 0 {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The amount must be a positive number of whole US dollars, such as 250000."))
		return
	}
	justification := strings.TrimSpace(r.PostFormValue("justification"))
	if justification == "" {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Say why the reward is deserved: the committee decides on your justification."))
		return
	}
	sealed, err := sealJSON(reward.Sealed{Justification: justification, PannedOut: strings.TrimSpace(r.PostFormValue("panned_out"))}, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rw := &tip.Reward{ID: tip.NewID(), TipID: id, AmountUSD: amount, RecommendedBy: sess.User.ID, RecommendedAt: time.Now().UTC()}
	shares, err := s.committeeShares(ctx, id, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, err = s.audited(ctx, sess, "reward.recommend", id, "reward "+rw.ID+" "+tip.USD(amount))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.Recommend(ctx, rw, sealed, shares); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards/"+rw.ID, http.StatusSeeOther)
}

// committeeShares wraps a report's key to every enabled committee member
// who cannot read the report yet, to be stored with the recommendation they
// decide on (or with a later share of it).
func (s *Server) committeeShares(ctx context.Context, tipID string, key *seal.Key) (map[string][]byte, error) {
	members, err := s.committeeLacking(ctx, tipID)
	if err != nil {
		return nil, err
	}
	shares := map[string][]byte{}
	for _, u := range members {
		wrapped, err := account.WrapTipKey(key, u)
		if err != nil {
			return nil, err
		}
		shares[u.Holder()] = wrapped
	}
	return shares, nil
}

// committeeLacking lists the enabled committee members who hold no key to
// a report: those who joined, or were given a new key, after a reward on it
// was recommended. A member whose passphrase was reset has no key yet: a
// share reaches them once they have chosen a new one.
func (s *Server) committeeLacking(ctx context.Context, tipID string) ([]tip.User, error) {
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []tip.User
	for _, u := range users {
		if !u.Has(tip.RoleCommittee) || u.Disabled || u.AwaitsPassphrase() {
			continue
		}
		if _, err := s.store.WrappedKey(ctx, tipID, u.Holder()); tip.ErrorCode(err) == tip.CodeNotFound {
			out = append(out, u)
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

type rewardRow struct {
	Reward tip.Reward
	State  tip.RewardState
	Offer  string
}

type rewardsPage struct {
	Session *account.Session
	Rewards []rewardRow
}

// rewards lists the recommendations on reports the user can open.
func (s *Server) rewards(w http.ResponseWriter, r *http.Request) {
	ctx, sess := r.Context(), sessionOf(r)
	all, err := s.store.AllRewards(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := rewardsPage{Session: sess}
	for i := len(all) - 1; i >= 0; i-- {
		rw := all[i]
		if _, err := s.store.WrappedKey(ctx, rw.TipID, sess.User.Holder()); err != nil {
			continue
		}
		p.Rewards = append(p.Rewards, rewardRow{Reward: rw, State: rw.State()})
	}
	s.pages.Render(w, http.StatusOK, "rewards", p)
}

type ledgerView struct {
	Entry  tip.LedgerEntry
	Actor  string
	Detail reward.Sealed
}

type rewardPage struct {
	Session     *account.Session
	Reward      tip.Reward
	State       tip.RewardState
	Sealed      reward.Sealed
	Recommender string
	Ledger      []ledgerView
	Methods     []string
	CanDecide   bool
	// Unshared names the committee members who cannot read the report of
	// an open reward, for an analyst who can share it with them.
	Unshared []string
	// NamedBefore: the listed entries the report named before Tipline
	// held a list naming them — the evidence that the tip panned out.
	NamedBefore []screening.NamedBefore
}

// rewardDetail shows a recommendation with its evidence and ledger, and the
// committee's forms.
func (s *Server) rewardDetail(w http.ResponseWriter, r *http.Request) {
	ctx, sess := r.Context(), sessionOf(r)
	rw, err := s.store.Reward(ctx, r.PathValue("rid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, key, err := s.openTip(ctx, sess, rw.TipID)
	if err != nil {
		s.fail(w, r, tip.Errorf(tip.CodeNotFound, "no such reward"))
		return
	}
	if err := s.record(ctx, sess, "reward.read", rw.TipID, "reward "+rw.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	p := rewardPage{Session: sess, Reward: rw, State: rw.State(), Recommender: s.userName(ctx, rw.RecommendedBy), Methods: tip.PaymentMethods,
		CanDecide: sess.User.Has(tip.RoleCommittee) && sess.User.ID != rw.RecommendedBy}
	if err := s.openBlobJSON(ctx, rw.TipID, rw.JustificationBlob, key, &p.Sealed); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.NamedBefore, err = s.namedBeforeOf(ctx, sess, t, key); err != nil {
		s.fail(w, r, err)
		return
	}
	if sess.User.Has(tip.RoleAnalyst) && rw.Open() {
		lacking, err := s.committeeLacking(ctx, rw.TipID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, u := range lacking {
			p.Unshared = append(p.Unshared, u.Name)
		}
	}
	for _, e := range rw.Ledger {
		v := ledgerView{Entry: e, Actor: s.userName(ctx, e.Actor)}
		if e.DetailBlob != "" {
			if err := s.openBlobJSON(ctx, rw.TipID, e.DetailBlob, key, &v.Detail); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		p.Ledger = append(p.Ledger, v)
	}
	s.pages.Render(w, http.StatusOK, "reward", p)
}

func sealJSON(v any, key *seal.Key) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return seal.SealBytes(plain, key.Recipient())
}
