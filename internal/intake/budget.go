package intake

import (
	"context"
	"sync"
	"time"

	"tipline/internal/store"
	"tipline/internal/tip"
)

// budget enforces the optional submission budgets: a global rate per minute
// and a storage quota. Both count nothing about who submits. The quota is
// checked against a total recounted every 10 s plus what was added since, so
// it costs no query per submission and may be overshot by the reports in
// flight at one moment.
type budget struct {
	perMinute int
	quota     int64
	store     *store.Store

	mu          sync.Mutex
	window      time.Time
	count       int
	storedAt    time.Time
	storedBytes int64
}

// allow reports whether one more submission fits the budgets.
func (b *budget) allow(ctx context.Context) error {
	if b.perMinute == 0 && b.quota == 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if b.perMinute > 0 {
		if now.Sub(b.window) >= time.Minute {
			b.window, b.count = now, 0
		}
		if b.count >= b.perMinute {
			return tip.Errorf(tip.CodeUnavailable, "submission budget for this minute is spent")
		}
		b.count++
	}
	if b.quota > 0 {
		if now.Sub(b.storedAt) > 10*time.Second {
			n, err := b.store.StoredBytes(ctx)
			if err != nil {
				return err
			}
			b.storedAt, b.storedBytes = now, n
		}
		if b.storedBytes >= b.quota {
			return tip.Errorf(tip.CodeUnavailable, "storage quota is full")
		}
	}
	return nil
}

// added counts bytes just stored towards the quota.
func (b *budget) added(n int64) {
	if b.quota == 0 {
		return
	}
	b.mu.Lock()
	b.storedBytes += n
	b.mu.Unlock()
}
