package intake

import (
	"context"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Two servers taking their writes from one budget a few at a time admit no
// more than the budget together, and refuse at most a lease's worth each
// early; a write that is not committed goes back to its server's lease.
func TestBudgetLeasesAdmitNoMoreThanTheBudget(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		other, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		limits := store.BudgetLimits{PerMinute: 300, Quota: 1 << 30} // leases of 3 writes and 1 MiB
		servers := []*budget{{limits: limits, store: s}, {limits: limits, store: other}}

		first, err := servers[0].spend(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		first.refund()
		taken, refused := 0, 0
		for i := 0; refused < 2; i++ {
			if _, err := servers[i%2].spend(ctx, 100); err == errMinuteSpent {
				refused++
			} else if err != nil {
				t.Fatal(err)
			} else {
				taken++
			}
		}
		if taken > 300 || taken < 300-2*2 {
			t.Fatalf("two servers took %d writes of a budget of 300 a minute", taken)
		}
		for _, srv := range servers {
			if srv.lease.writes > 0 {
				continue // its own lease still admits
			}
			if err := srv.admit(ctx, 100); err != errMinuteSpent {
				t.Fatalf("admit with the budget spent: %v", err)
			}
		}
		st, err := s.Budget(ctx, sourcesBudget)
		if err != nil {
			t.Fatal(err)
		}
		if st.Spent > 300 {
			t.Fatalf("the shared budget counts %d writes of 300", st.Spent)
		}
	})
}
