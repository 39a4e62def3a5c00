package intake

import (
	"context"
	"sync"
	"time"

	"tipline/internal/store"
	"tipline/internal/tip"
)

// budget enforces the optional budgets on what sources write — reports and
// their messages alike, every way the outside can store data: a number of
// writes per minute across all sources, and a storage quota in sealed bytes.
// Neither counts anything about who writes.
//
// Only what is committed spends: a write takes its share just before it is
// committed (spend) and gives it back if the commit fails, so requests that
// are refused — not a form, a form with problems, a file refused — cost
// nothing, and a flood of them cannot lock sources out. admit refuses a
// request at once, before its body is read, when the budgets are already
// spent, so that nothing is received in vain; it spends nothing either.
//
// The quota counts every sealed blob stored, staged uploads in flight too
// (StoredBytes), recounted at most every 10 s, plus what was committed and
// is being committed since. It errs on the side of refusing: a write's own
// staged files may be counted twice near the quota.
type budget struct {
	perMinute int
	quota     int64
	store     *store.Store

	mu          sync.Mutex
	window      time.Time
	spent       int // writes committed or being committed in this window
	countedAt   time.Time
	storedBytes int64 // as recounted, plus what was committed since
	pending     int64 // bytes of writes being committed
}

var (
	errMinuteSpent = tip.Errorf(tip.CodeUnavailable, "the budget of writes for this minute is spent")
	errQuotaFull   = tip.Errorf(tip.CodeUnavailable, "the storage quota is full")
)

// admit refuses a request, before its body is read, that cannot fit the
// budgets as they stand: incoming is its body's declared length (0 or less
// when unknown).
func (b *budget) admit(ctx context.Context, incoming int64) error {
	if b.perMinute == 0 && b.quota == 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.perMinute > 0 && b.windowAt(now) >= b.perMinute {
		return errMinuteSpent
	}
	return b.fitsLocked(ctx, now, max(incoming, 1)) // a full store takes nothing more
}

// spending is a write's share of the budgets, taken before its commit.
type spending struct {
	b      *budget
	window time.Time
	bytes  int64
}

// spend takes one write of n sealed bytes from the budgets. Call kept once
// the write has committed, or refund if it has not.
func (b *budget) spend(ctx context.Context, n int64) (*spending, error) {
	if b.perMinute == 0 && b.quota == 0 {
		return &spending{}, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.perMinute > 0 && b.windowAt(now) >= b.perMinute {
		return nil, errMinuteSpent
	}
	if err := b.fitsLocked(ctx, now, n); err != nil {
		return nil, err
	}
	b.spent++
	b.pending += n
	return &spending{b: b, window: b.window, bytes: n}, nil
}

// kept counts a committed write's bytes as stored.
func (s *spending) kept() {
	if s.b == nil {
		return
	}
	s.b.mu.Lock()
	s.b.pending -= s.bytes
	s.b.storedBytes += s.bytes
	s.b.mu.Unlock()
}

// refund gives back the share of a write that was not committed.
func (s *spending) refund() {
	if s.b == nil {
		return
	}
	s.b.mu.Lock()
	s.b.pending -= s.bytes
	if s.b.window.Equal(s.window) {
		s.b.spent--
	}
	s.b.mu.Unlock()
}

// windowAt returns how many writes the minute holding now has spent,
// starting a new minute when the last one is over; under mu.
func (b *budget) windowAt(now time.Time) int {
	if now.Sub(b.window) >= time.Minute {
		b.window, b.spent = now, 0
	}
	return b.spent
}

// fitsLocked reports whether n more bytes fit the quota; under mu.
func (b *budget) fitsLocked(ctx context.Context, now time.Time, n int64) error {
	if b.quota == 0 {
		return nil
	}
	if now.Sub(b.countedAt) > 10*time.Second {
		stored, err := b.store.StoredBytes(ctx)
		if err != nil {
			return err
		}
		b.countedAt, b.storedBytes = now, stored
	}
	if b.storedBytes+b.pending+n > b.quota {
		return errQuotaFull
	}
	return nil
}
