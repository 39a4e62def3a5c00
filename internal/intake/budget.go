package intake

import (
	"context"
	"sync"
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
// A server takes its writes and bytes from that row a little at a time — a
// hundredth of the minute's writes, a thousandth of the quota — and spends
// them locally, so that a write costs no round trip of its own; what a server
// took and did not use counts as spent. Near a limit, a server takes exactly
// what one write needs. So the servers together admit at most the budget,
// and refuse at worst a hundredth of the minute's writes per server early.
//
// Only what is committed spends: a write takes its share just before it is
// committed (spend) and gives it back if the commit fails, so requests that
// are refused — not a form, a form with problems, a file refused — cost
// nothing, and a flood of them cannot lock sources out. admit refuses a
// request at once, before its body is read, when the budgets are already
// spent, so that nothing is received in vain; it spends nothing either.
//
// The quota counts every sealed blob stored, staged uploads in flight too,
// recounted every 10 s, plus what was taken since. It errs on the side of
// refusing: a write's own staged files may be counted twice near the quota.
type budget struct {
	limits store.BudgetLimits
	store  *store.Store

	mu    sync.Mutex // held while a lease is taken: this server's spends queue
	lease lease
}

// lease is what this server took from the shared budget and has not spent.
type lease struct {
	window time.Time // the minute the writes belong to
	writes int
	bytes  int64
}

var (
	errMinuteSpent = tip.Errorf(tip.CodeUnavailable, "the budget of writes for this minute is spent")
	errQuotaFull   = tip.Errorf(tip.CodeUnavailable, "the storage quota is full")
)

func (b *budget) off() bool { return b.limits == store.BudgetLimits{} }

// covers reports whether the lease holds a write of n bytes at now; under mu.
func (b *budget) covers(now time.Time, n int64) bool {
	l := b.lease
	return now.Sub(l.window) < time.Minute &&
		(b.limits.PerMinute == 0 || l.writes >= 1) &&
		(b.limits.Quota == 0 || l.bytes >= n)
}

// admit refuses a request, before its body is read, that cannot fit the
// budgets as they stand: incoming is its body's declared length (0 or less
// when unknown).
func (b *budget) admit(ctx context.Context, incoming int64) error {
	if b.off() {
		return nil
	}
	incoming = max(incoming, 1) // a full store takes nothing more
	now := time.Now()
	b.mu.Lock()
	covered := b.covers(now, incoming)
	b.mu.Unlock()
	if covered {
		return nil
	}
	st, err := b.store.Budget(ctx, sourcesBudget)
	if err != nil {
		return err
	}
	if st, err = b.recount(ctx, st, now); err != nil {
		return err
	}
	return refusal(b.limits, st, now, incoming)
}

// spending is a write's share of the budgets, taken before its commit.
type spending struct {
	b      *budget
	window time.Time
	bytes  int64
}

// spend takes one write of n sealed bytes from the budgets. Call refund if
// the write is not committed.
func (b *budget) spend(ctx context.Context, n int64) (*spending, error) {
	if b.off() {
		return &spending{}, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if !b.covers(now, n) {
		if err := b.takeLease(ctx, now, n); err != nil {
			return nil, err
		}
	}
	b.lease.writes--
	b.lease.bytes -= n
	return &spending{b: b, window: b.lease.window, bytes: n}, nil
}

// takeLease takes from the shared budget what the next writes need, at least
// one write of n bytes; under mu.
func (b *budget) takeLease(ctx context.Context, now time.Time, n int64) error {
	writes, bytes := 1, n
	if p := b.limits.PerMinute; p > 0 {
		writes = max(1, p/100)
	} else {
		writes = 1 << 20 // not limited: the lease runs out of bytes first
	}
	if q := b.limits.Quota; q > 0 {
		bytes += q / 1000
	}
	st, ok, err := b.store.SpendBudget(ctx, sourcesBudget, b.limits, writes, bytes, now)
	if err == nil && !ok && (writes > 1 || bytes > n) {
		writes, bytes = 1, n // near a limit: exactly this write
		st, ok, err = b.store.SpendBudget(ctx, sourcesBudget, b.limits, writes, bytes, now)
	}
	if err != nil {
		return err
	}
	if !ok {
		if err := refusal(b.limits, st, now, n); err != nil {
			return err
		}
		return errMinuteSpent // the budget moved between the two reads
	}
	if !st.WindowStart.Equal(b.lease.window) {
		b.lease = lease{window: st.WindowStart} // what is left of another minute is spent
	}
	b.lease.writes += writes
	b.lease.bytes += bytes
	if _, err := b.recount(ctx, st, now); err != nil {
		return err
	}
	return nil
}

// refund gives back the share of a write that was not committed, to this
// server's lease while its minute lasts.
func (s *spending) refund() {
	if s.b == nil {
		return
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.lease.window.Equal(s.window) {
		s.b.lease.writes++
		s.b.lease.bytes += s.bytes
	}
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
