// Package reward is the rewards ledger's meaning: what the source is told,
// the oversight totals, and the verifier that checks the ledger reconciles —
// its entries numbered without a gap; every approval by an eligible
// committee member, never the recommender, each member once; a payment only
// after two distinct approvals, only one, and worth exactly the approval
// (tip.Payment.Check); nothing decided after a denial or a payment; no
// report over its cap.
//
// The store enforces these rules as decisions are made; this package checks
// them again over the whole ledger, so that a database edited behind the
// application's back is caught.
package reward

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"tipline/internal/store"
	"tipline/internal/tip"
)

// Sealed is the sealed detail of a recommendation or a decision.
type Sealed struct {
	Justification string `json:"justification,omitempty"`
	PannedOut     string `json:"panned_out,omitempty"`
	Reason        string `json:"reason,omitempty"`
	TellSource    bool   `json:"tell_source,omitempty"`
	Reference     string `json:"reference,omitempty"`
	PaidOn        string `json:"paid_on,omitempty"`
}

// SourceView is what the source is told about rewards on their report.
type SourceView struct {
	State     string // none, under_review, recommended, approved, paid, not_eligible
	AmountUSD int64  // approved or paid, when State says so
	ReasonOf  string // ledger entry whose sealed reason the source may read
}

// ForSource reduces a report's rewards to what its source sees: the most
// advanced state; the amount only once approved; the committee's reason for
// a denial only when it chose to give it (the caller opens ReasonOf).
func ForSource(rewards []tip.Reward, wantsReward bool) SourceView {
	v := SourceView{State: "none"}
	if wantsReward {
		v.State = "under_review"
	}
	rank := map[string]int{"none": 0, "under_review": 1, "not_eligible": 2, "recommended": 3, "approved": 4, "paid": 5}
	for _, r := range rewards {
		var st string
		switch r.State() {
		case tip.RewardRecommended:
			st = "recommended"
		case tip.RewardApproved:
			st = "approved"
		case tip.RewardPaid:
			st = "paid"
		case tip.RewardDenied:
			st = "not_eligible"
		}
		if r.CountsTowardCap() {
			v.AmountUSD += r.AmountUSD
		}
		if rank[st] > rank[v.State] {
			v.State = st
			v.ReasonOf = ""
			if st == "not_eligible" {
				for _, e := range r.Ledger {
					if e.Kind == tip.LedgerDeny {
						v.ReasonOf = e.DetailBlob
					}
				}
			}
		}
	}
	return v
}

// Problem is one way the ledger does not reconcile.
type Problem struct {
	RewardID string
	TipID    string
	What     string
}

func (p Problem) String() string {
	return fmt.Sprintf("reward %s (report %s): %s", p.RewardID, p.TipID, p.What)
}

// Verify checks the whole ledger.
func Verify(ctx context.Context, s *store.Store) ([]Problem, int, error) {
	rewards, err := s.AllRewards(ctx)
	if err != nil {
		return nil, 0, err
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, 0, err
	}
	committee := map[string]bool{}
	for _, u := range users {
		if u.Has(tip.RoleCommittee) {
			committee[u.ID] = true
		}
	}
	ceiling, err := s.RewardCeiling(ctx)
	if err != nil {
		return nil, 0, err
	}
	var problems []Problem
	committed := map[string]int64{}
	for _, r := range rewards {
		add := func(format string, args ...any) {
			problems = append(problems, Problem{r.ID, r.TipID, fmt.Sprintf(format, args...)})
		}
		checkLedger(r, committee, add)
		if r.CountsTowardCap() {
			committed[r.TipID] += r.AmountUSD
		}
	}
	offers, err := s.Offers(ctx)
	if err != nil {
		return nil, 0, err
	}
	caps := map[string]int64{}
	for _, o := range offers {
		caps[o.ID] = min(o.MaxRewardUSD, ceiling)
	}
	tipOffer := map[string]string{}
	for _, r := range rewards {
		tipOffer[r.TipID] = r.OfferID
	}
	var tips []string
	for id := range committed {
		tips = append(tips, id)
	}
	sort.Strings(tips)
	for _, id := range tips {
		if limit := caps[tipOffer[id]]; committed[id] > limit {
			problems = append(problems, Problem{"-", id, fmt.Sprintf("%s approved in all, over the cap of %s", tip.USD(committed[id]), tip.USD(limit))})
		}
	}
	return problems, len(rewards), nil
}

// checkLedger walks one reward's ledger as the store would have written it,
// and reports every entry the store would have refused: a gap in the
// numbering; an approval by the recommender, by someone not on the
// committee, twice by one member, or once the reward was decided; a denial
// once it was decided; a payment before the approvals, a second payment,
// or one not worth exactly the approval; anything after a denial.
func checkLedger(r tip.Reward, committee map[string]bool, add func(format string, args ...any)) {
	approvers := map[string]bool{}
	state := tip.RewardRecommended
	for i, e := range r.Ledger {
		if e.Seq != i+1 {
			add("ledger entry %d is numbered %d: an entry was removed or reordered", i+1, e.Seq)
		}
		if e.Kind == tip.LedgerCorrect {
			continue
		}
		switch state {
		case tip.RewardDenied:
			add("entry %d (%s) follows the denial", e.Seq, e.Kind)
			continue
		case tip.RewardPaid:
			if e.Kind == tip.LedgerPay {
				add("paid twice (entry %d): the reward was paid already", e.Seq)
			} else {
				add("entry %d (%s) follows the payment", e.Seq, e.Kind)
			}
			continue
		}
		switch e.Kind {
		case tip.LedgerApprove:
			switch {
			case state != tip.RewardRecommended:
				add("approved again (entry %d) by %s once already approved", e.Seq, e.Actor)
			case e.Actor == r.RecommendedBy:
				add("approved by its own recommender %s", e.Actor)
			case !committee[e.Actor]:
				add("approved by %s, who is not on the committee", e.Actor)
			case approvers[e.Actor]:
				add("approved twice by %s", e.Actor)
			}
			approvers[e.Actor] = true
			if len(approvers) >= tip.ApprovalsNeeded && state == tip.RewardRecommended {
				state = tip.RewardApproved
			}
		case tip.LedgerDeny:
			if state != tip.RewardRecommended {
				add("denied (entry %d) once already %s", e.Seq, state)
			}
			state = tip.RewardDenied
		case tip.LedgerPay:
			if state != tip.RewardApproved {
				add("paid (entry %d) without the approval of %d distinct committee members", e.Seq, tip.ApprovalsNeeded)
			}
			if err := e.Payment().Check(r.AmountUSD); err != nil {
				add("payment (entry %d) differs from the approval: %s", e.Seq, tip.ErrorMessage(err))
			}
			state = tip.RewardPaid
		default:
			add("entry %d is of unknown kind %q", e.Seq, e.Kind)
		}
	}
}

// Totals are the oversight figures of one offer in one period.
type Totals struct {
	OfferID          string
	Period           string // YYYY-MM, by recommendation date
	Recommended      int64
	Approved         int64
	Denied           int64
	Paid             int64    // USD: the value recorded with each payment
	PaidAs           []string // what was paid, summed per currency: "250000 USD", "3.75 XBT"
	Count            int
	DecidedCount     int
	MeanDaysToDecide float64
}

// Oversight computes totals per offer and month from the ledger, with the
// mean time from report to decision. What was paid is read from the
// payments themselves, not from the approvals they settle.
func Oversight(rewards []tip.Reward, received map[string]time.Time) []Totals {
	byKey := map[string]*Totals{}
	var keys []string
	daysSum := map[string]float64{}
	paidIn := map[string]map[string]*big.Rat{}
	for _, r := range rewards {
		key := r.OfferID + " " + r.RecommendedAt.Format("2006-01")
		t, ok := byKey[key]
		if !ok {
			t = &Totals{OfferID: r.OfferID, Period: r.RecommendedAt.Format("2006-01")}
			byKey[key] = t
			keys = append(keys, key)
		}
		t.Count++
		t.Recommended += r.AmountUSD
		switch r.State() {
		case tip.RewardApproved:
			t.Approved += r.AmountUSD
		case tip.RewardPaid:
			t.Approved += r.AmountUSD
		case tip.RewardDenied:
			t.Denied += r.AmountUSD
		}
		for _, e := range r.Ledger {
			if e.Kind == tip.LedgerPay {
				t.Paid += e.ValueUSD
				paidIn[key] = addPaid(paidIn[key], e.Paid, e.Currency)
			}
		}
		if at := r.DecidedAt(); !at.IsZero() {
			t.DecidedCount++
			if rec, ok := received[r.TipID]; ok {
				daysSum[key] += at.Sub(rec).Hours() / 24
			}
		}
	}
	sort.Strings(keys)
	out := make([]Totals, 0, len(keys))
	for _, k := range keys {
		t := byKey[k]
		if t.DecidedCount > 0 {
			t.MeanDaysToDecide = daysSum[k] / float64(t.DecidedCount)
		}
		for _, currency := range slices.Sorted(maps.Keys(paidIn[k])) {
			t.PaidAs = append(t.PaidAs, decimal(paidIn[k][currency])+" "+currency)
		}
		out = append(out, *t)
	}
	return out
}

// addPaid adds an amount as paid to the sums per currency. One that is not
// a number (only a database edited by hand holds one; Verify reports it) is
// left out.
func addPaid(sums map[string]*big.Rat, paid, currency string) map[string]*big.Rat {
	n, ok := new(big.Rat).SetString(paid)
	if !ok {
		return sums
	}
	if sums == nil {
		sums = map[string]*big.Rat{}
	}
	if sums[currency] == nil {
		sums[currency] = new(big.Rat)
	}
	sums[currency].Add(sums[currency], n)
	return sums
}

// decimal writes an exact sum of decimal amounts in its shortest form.
func decimal(n *big.Rat) string {
	s := n.FloatString(18)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
