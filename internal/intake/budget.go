package intake

import (
	"context"
	"time"

	"tipline/internal/store"
	"tipline/internal/tip"
)

// sourcesBudget names the sources' budget in the database.
const sourcesBudget = "sources"

// recountEvery is how often the stored bytes are recounted from the blobs
// themselves, by whichever server first finds the count older.
const recountEvery = 10 * time.Second

// budget enforces the optional budgets on what sources write — reports and
// their messages alike, every way the outside can store data: a number of
// writes per minute across all sources, and a storage quota in sealed bytes.
// Neither counts anything about who writes. Both are counted in one database
// row that every app server spends from, so N servers admit what one would.
//
// Only what is committed spends: a write takes its share just before it is
// committed (spend) and gives it back if the commit fails, so requests that
// are refused — not a form, a form with problems, a file refused — cost
// nothing, and a flood of them cannot lock sources out. admit refuses a
// request at once, before its body is read, when the budgets are already
// spent, so that nothing is received in vain; it spends nothing either.
//
// The quota counts every sealed blob stored, staged uploads in flight too,
// recounted every 10 s, plus what was spent since. It errs on the side of
// refusing: a write's own staged files may be counted twice near the quota.
type budget struct {
	limits store.BudgetLimits
	store  *store.Store
}

var (
	errMinuteSpent = tip.Errorf(tip.CodeUnavailable, "the budget of writes for this minute is spent")
	errQuotaFull   = tip.Errorf(tip.CodeUnavailable, "the storage quota is full")
)

func (b *budget) off() bool { return b.limits == store.BudgetLimits{} }

// admit refuses a request, before its body is read, that cannot fit the
// budgets as they stand: incoming is its body's declared length (0 or less
// when unknown).
func (b *budget) admit(ctx context.Context, incoming int64) error {
	if b.off() {
		return nil
	}
	now := time.Now()
	st, err := b.store.Budget(ctx, sourcesBudget)
	if err != nil {
		return err
	}
	if st, err = b.recount(ctx, st, now); err != nil {
		return err
	}
	return refusal(b.limits, st, now, max(incoming, 1)) // a full store takes nothing more
}

// spending is a write's share of the budgets, taken before its commit.
type spending struct {
	b     *budget
	as    store.BudgetState
	bytes int64
}

// spend takes one write of n sealed bytes from the budgets. Call refund if
// the write is not committed.
func (b *budget) spend(ctx context.Context, n int64) (*spending, error) {
	if b.off() {
		return &spending{}, nil
	}
	now := time.Now()
	st, ok, err := b.store.SpendBudget(ctx, sourcesBudget, b.limits, n, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := refusal(b.limits, st, now, n); err != nil {
			return nil, err
		}
		return nil, errMinuteSpent // the budget moved between the two reads
	}
	return &spending{b: b, as: st, bytes: n}, nil
}

// refund gives back the share of a write that was not committed.
func (s *spending) refund(ctx context.Context) error {
	if s.b == nil {
		return nil
	}
	return s.b.store.RefundBudget(context.WithoutCancel(ctx), sourcesBudget, s.as, s.bytes)
}

// recount recounts the stored bytes when the count is older than
// recountEvery, and returns the budget as it then stands.
func (b *budget) recount(ctx context.Context, st store.BudgetState, now time.Time) (store.BudgetState, error) {
	if b.limits.Quota == 0 || now.Sub(st.CountedAt) < recountEvery {
		return st, nil
	}
	if err := b.store.RecountBudget(ctx, sourcesBudget, st.CountedAt, now); err != nil {
		return st, err
	}
	return b.store.Budget(ctx, sourcesBudget)
}

// refusal says why a write of n bytes does not fit the budget st, or nil.
func refusal(l store.BudgetLimits, st store.BudgetState, now time.Time, n int64) error {
	if st.MinuteSpent(l, now) {
		return errMinuteSpent
	}
	if st.QuotaFull(l, n) {
		return errQuotaFull
	}
	return nil
}
