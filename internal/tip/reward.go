package tip

import (
	"fmt"
	"time"
)

// RewardState is where a reward stands; it is derived from the ledger.
type RewardState string

const (
	RewardRecommended RewardState = "recommended"
	RewardApproved    RewardState = "approved"
	RewardDenied      RewardState = "denied"
	RewardPaid        RewardState = "paid"
)

// ApprovalsNeeded is how many distinct committee members must approve.
const ApprovalsNeeded = 2

// LedgerKind is the kind of a ledger entry.
type LedgerKind string

const (
	LedgerApprove LedgerKind = "approve"
	LedgerDeny    LedgerKind = "deny"
	LedgerPay     LedgerKind = "pay"
	LedgerCorrect LedgerKind = "correct"
)

// PaymentMethods are how a reward may be paid.
var PaymentMethods = []string{"bank", "cash", "crypto"}

// Reward is a recommendation and its ledger.
type Reward struct {
	ID                string
	TipID             string
	OfferID           string
	AmountUSD         int64
	RecommendedBy     string
	RecommendedAt     time.Time
	JustificationBlob string
	Ledger            []LedgerEntry
}

// LedgerEntry is one append-only entry. A payment carries what was paid
// (Paid, Currency, Method) and its value in whole US dollars (ValueUSD),
// which is what reconciles with the approval.
type LedgerEntry struct {
	ID         string
	Seq        int
	Kind       LedgerKind
	Actor      string
	At         time.Time
	ValueUSD   int64
	Paid       string
	Currency   string
	Method     string
	DetailBlob string
}

// Payment returns what a payment entry records.
func (e LedgerEntry) Payment() Payment {
	return Payment{Paid: e.Paid, Currency: e.Currency, Method: e.Method, ValueUSD: e.ValueUSD}
}

// State folds the ledger: denied once any member denies; approved once
// ApprovalsNeeded distinct members approve; paid once a payment is recorded.
func (r Reward) State() RewardState {
	approvers := map[string]bool{}
	state := RewardRecommended
	for _, e := range r.Ledger {
		switch e.Kind {
		case LedgerDeny:
			return RewardDenied
		case LedgerApprove:
			approvers[e.Actor] = true
			if len(approvers) >= ApprovalsNeeded && state == RewardRecommended {
				state = RewardApproved
			}
		case LedgerPay:
			state = RewardPaid
		}
	}
	return state
}

// Approvers lists the members who approved, in order.
func (r Reward) Approvers() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range r.Ledger {
		if e.Kind == LedgerApprove && !seen[e.Actor] {
			seen[e.Actor] = true
			out = append(out, e.Actor)
		}
	}
	return out
}

// DecidedAt is when the reward was approved or denied, or zero.
func (r Reward) DecidedAt() time.Time {
	approvers := map[string]bool{}
	for _, e := range r.Ledger {
		switch e.Kind {
		case LedgerDeny:
			return e.At
		case LedgerApprove:
			approvers[e.Actor] = true
			if len(approvers) >= ApprovalsNeeded {
				return e.At
			}
		}
	}
	return time.Time{}
}

// Open reports whether the committee has something left to do: a decision,
// or the payment of an approved reward.
func (r Reward) Open() bool {
	s := r.State()
	return s == RewardRecommended || s == RewardApproved
}

// CountsTowardCap reports whether the amount is committed: approved or paid.
func (r Reward) CountsTowardCap() bool {
	s := r.State()
	return s == RewardApproved || s == RewardPaid
}

// USD writes whole dollars as US$5,000,000.
func USD(n int64) string {
	s := fmt.Sprint(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return "US$" + string(out)
}
