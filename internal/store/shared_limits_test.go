package store_test

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// twoServers returns s and a second Store on the same database, as two app
// servers (or a server and the CLI) hold them.
func twoServers(t *testing.T, s *store.Store, b storetest.Backend) (*store.Store, *store.Store) {
	t.Helper()
	other, err := store.Open(context.Background(), b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return s, other
}

// Turns taken on two servers at once are one queue: no two turns closer than
// the interval, whichever server booked them.
func TestTurnsAreOneQueueAcrossServers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		a, other := twoServers(t, s, b)
		const interval = 50 * time.Millisecond
		now := time.UnixMicro(time.Now().UnixMicro()) // turns are booked to the microsecond
		var mu sync.Mutex
		var slots []time.Time
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				srv := a
				if i%2 == 1 {
					srv = other
				}
				slot, err := srv.TakeTurn(ctx, "receipts", now, interval)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				slots = append(slots, slot)
				mu.Unlock()
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		var last time.Time
		for _, sl := range slots {
			k := sl.Sub(now).Milliseconds() / interval.Milliseconds()
			if sl.Before(now) || seen[k] {
				t.Fatalf("two turns share slot %d, or one is before the earliest: %v", k, slots)
			}
			seen[k] = true
			if sl.After(last) {
				last = sl
			}
		}
		if want := now.Add(19 * interval); last.Before(want.Add(-time.Millisecond)) {
			t.Fatalf("20 turns end at %v, want %v", last.Sub(now), want.Sub(now))
		}
		// The last turn given back is the next one taken.
		if err := other.GiveBackTurn(ctx, "receipts", last, interval); err != nil {
			t.Fatal(err)
		}
		if again, err := a.TakeTurn(ctx, "receipts", now, interval); err != nil || !again.Equal(last) {
			t.Fatalf("after giving back %v the next turn is %v (%v)", last.Sub(now), again.Sub(now), err)
		}
	})
}

// Two servers spend from one budget: the minute's writes and the quota are
// counted once for both, and several writes can be taken at once.
func TestBudgetIsSharedAcrossServers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		a, other := twoServers(t, s, b)
		limits := store.BudgetLimits{PerMinute: 5, Quota: 1000}
		now := time.Now()
		spend := func(srv *store.Store, writes int, n int64, at time.Time) (store.BudgetState, bool) {
			t.Helper()
			st, ok, err := srv.SpendBudget(ctx, "sources", limits, writes, n, at)
			if err != nil {
				t.Fatal(err)
			}
			return st, ok
		}
		_, ok1 := spend(a, 1, 100, now)
		_, ok2 := spend(other, 3, 100, now)
		if !ok1 || !ok2 {
			t.Fatal("writes within the budget were refused")
		}
		if st, ok := spend(a, 2, 100, now); ok || st.Spent != 4 {
			t.Fatalf("two more writes, past the minute's five, were taken: %+v", st)
		}
		if _, ok := spend(a, 1, 100, now); !ok {
			t.Fatal("the fifth write was refused")
		}
		if st, ok := spend(other, 1, 100, now); ok || !st.MinuteSpent(limits, now) {
			t.Fatalf("a sixth write in the minute, on the other server, was taken: %+v", st)
		}
		// A new minute; the quota holds 300 bytes counted so far.
		later := now.Add(time.Minute)
		if st, ok := spend(other, 1, 701, later); ok || !st.QuotaFull(limits, 701) {
			t.Fatalf("a write past the quota was taken: %+v", st)
		}
		if _, ok := spend(a, 1, 700, later); !ok {
			t.Fatal("a write filling the quota was refused")
		}
		// A recount finds what is really stored: nothing; a second recount
		// from the same count does nothing.
		st, err := other.Budget(ctx, "sources")
		if err != nil {
			t.Fatal(err)
		}
		if err := other.RecountBudget(ctx, "sources", st.CountedAt, later); err != nil {
			t.Fatal(err)
		}
		if err := a.RecountBudget(ctx, "sources", st.CountedAt, later.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if st, _ := a.Budget(ctx, "sources"); st.Stored != 0 || !st.CountedAt.Equal(time.UnixMicro(later.UnixMicro())) {
			t.Fatalf("after one recount: %+v", st)
		}
	})
}

// Read-modify-write updates from two servers at once lose nothing.
func TestThrottleUpdatesAreAtomicAcrossServers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		a, other := twoServers(t, s, b)
		const each = 15
		var wg sync.WaitGroup
		for i := range 2 * each {
			wg.Go(func() {
				srv := a
				if i%2 == 1 {
					srv = other
				}
				err := srv.UpdateThrottles(ctx, []string{"login", "login:x"}, func(st map[string]string) (map[string]string, time.Time, error) {
					n, _ := strconv.Atoi(st["login:x"])
					return map[string]string{"login:x": strconv.Itoa(n + 1), "login": "g"}, time.Now().Add(time.Hour), nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := other.Throttles(ctx, "login:x", "login", "login:none")
		if err != nil {
			t.Fatal(err)
		}
		if got["login:x"] != strconv.Itoa(2*each) || got["login"] != "g" || len(got) != 2 {
			t.Fatalf("after %d increments on two servers: %v", 2*each, got)
		}
		if err := a.ForgetThrottle(ctx, "login:x"); err != nil {
			t.Fatal(err)
		}
		if got, _ := other.Throttles(ctx, "login:x"); len(got) != 0 {
			t.Fatalf("a forgotten state is still there: %v", got)
		}
	})
}

// A list imported through one Store (another server, `tipline lists import`)
// reaches the other's subscribers within a couple of seconds.
func TestListImportReachesOtherServers(t *testing.T) {
	l := parseSnapshot(t, "un/consolidated-2026-02-27.xml")
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		a, other := twoServers(t, s, b)
		changes := a.CacheChanges()
		go a.WatchChanges(ctx, slog.New(slog.DiscardHandler))
		time.Sleep(300 * time.Millisecond) // listening, and the first notice at start drained below
		for len(changes) > 0 {
			<-changes
		}
		if _, err := other.ImportList(ctx, l, "test", time.Now(), false); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changes:
		case <-time.After(2 * time.Second):
			t.Fatal("a list imported on another server was not heard of within 2 s")
		}
	})
}
