package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

func recommend(t *testing.T, s *store.Store, tipID string, usd int64, by string) (*tip.Reward, error) {
	t.Helper()
	r := &tip.Reward{ID: tip.NewID(), TipID: tipID, AmountUSD: usd, RecommendedBy: by, RecommendedAt: time.Now()}
	return r, s.Recommend(context.Background(), r, []byte("sealed justification"), nil)
}

func decide(s *store.Store, rid string, kind tip.LedgerKind, actor string) error {
	_, err := s.Decide(context.Background(), store.Decision{RewardID: rid, Kind: kind, Actor: actor})
	return err
}

func TestRewardRulesAreEnforcedByTheStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		o := newOffer(t, s)
		n := newTip(o)
		if err := s.CommitTips(context.Background(), []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		id := n.Tip.ID
		if _, err := recommend(t, s, id, 5_000_001, "analyst"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("a recommendation over the US$5,000,000 cap must be refused, got %v", err)
		}
		r, err := recommend(t, s, id, 3_000_000, "analyst")
		if err != nil {
			t.Fatal(err)
		}
		if err := decide(s, r.ID, tip.LedgerApprove, "analyst"); tip.ErrorCode(err) != tip.CodeForbidden {
			t.Fatalf("the recommender must not approve, got %v", err)
		}
		if err := decide(s, r.ID, tip.LedgerApprove, "m1"); err != nil {
			t.Fatal(err)
		}
		if err := decide(s, r.ID, tip.LedgerApprove, "m1"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("the same member approving twice must be refused, got %v", err)
		}
		if err := decide(s, r.ID, tip.LedgerPay, "m1"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("paying before approval must be refused, got %v", err)
		}
		if err := decide(s, r.ID, tip.LedgerApprove, "m2"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Reward(context.Background(), r.ID)
		if got.State() != tip.RewardApproved || len(got.Approvers()) != 2 {
			t.Fatalf("after two approvals: %s", got.State())
		}
		// 3M approved: a further 2.5M would pass the cap.
		if _, err := recommend(t, s, id, 2_500_000, "analyst"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("a recommendation past the remaining cap must be refused, got %v", err)
		}
		if _, err := s.Decide(context.Background(), store.Decision{RewardID: r.ID, Kind: tip.LedgerPay, Actor: "m2",
			Payment: tip.Payment{Paid: "3000000", Currency: "USD", Method: "bank", ValueUSD: 3_000_000}}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Reward(context.Background(), r.ID)
		if got.State() != tip.RewardPaid {
			t.Fatalf("after payment: %s", got.State())
		}
	})
}

// Two rewards on one report, each 3M under a 5M cap, each one approval away
// from approved: members race to approve both. At most one may win.
func TestApprovalsRacingPastTheCapCannotBothWin(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		o := newOffer(t, s)
		n := newTip(o)
		if err := s.CommitTips(context.Background(), []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		var rewards []*tip.Reward
		for range 2 {
			r, err := recommend(t, s, n.Tip.ID, 3_000_000, "analyst")
			if err != nil {
				t.Fatal(err)
			}
			if err := decide(s, r.ID, tip.LedgerApprove, "m1"); err != nil {
				t.Fatal(err)
			}
			rewards = append(rewards, r)
		}
		for round := range 10 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, r := range rewards {
				wg.Go(func() { errs[i] = decide(s, r.ID, tip.LedgerApprove, "m2") })
			}
			wg.Wait()
			approved := 0
			for _, r := range rewards {
				got, _ := s.Reward(context.Background(), r.ID)
				if got.CountsTowardCap() {
					approved++
				}
			}
			if approved > 1 {
				t.Fatalf("round %d: both racing approvals won (%v): the cap was broken", round, errs)
			}
			if round == 0 && approved != 1 {
				t.Fatalf("exactly one approval should win, got %d (%v)", approved, errs)
			}
		}
	})
}

// The store itself refuses a payment not worth its approval, whoever calls
// it: the check is in the decision's transaction, and nothing is written.
func TestPaymentDifferingFromItsApprovalIsRefusedByTheStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		n := newTip(o)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		r, err := recommend(t, s, n.Tip.ID, 250_000, "analyst")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"m1", "m2"} {
			if err := decide(s, r.ID, tip.LedgerApprove, m); err != nil {
				t.Fatal(err)
			}
		}
		pay := func(p tip.Payment) error {
			_, err := s.Decide(ctx, store.Decision{RewardID: r.ID, Kind: tip.LedgerPay, Actor: "m1", Payment: p, Sealed: []byte("sealed reference")})
			return err
		}
		for _, p := range []tip.Payment{
			{Paid: "2500000", Currency: "USD", Method: "bank", ValueUSD: 2_500_000},
			{Paid: "250000", Currency: "USD", Method: "bank", ValueUSD: 2_500_000},
			{Paid: "250000", Currency: "EUR", Method: "bank", ValueUSD: 250_000},
			{Paid: "40", Currency: "XBT", Method: "crypto", ValueUSD: 2_500_000},
		} {
			if err := pay(p); tip.ErrorCode(err) != tip.CodeConflict {
				t.Fatalf("%+v on a US$250,000 approval: want conflict, got %v", p, err)
			}
		}
		if got, _ := s.Reward(ctx, r.ID); got.State() != tip.RewardApproved || len(got.Ledger) != 2 {
			t.Fatalf("refused payments must leave the ledger as it was: %s, %d entries", got.State(), len(got.Ledger))
		}
		if err := pay(tip.Payment{Paid: "3.75", Currency: "XBT", Method: "crypto", ValueUSD: 250_000}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Reward(ctx, r.ID)
		e := got.Ledger[len(got.Ledger)-1]
		if got.State() != tip.RewardPaid || e.Paid != "3.75" || e.Currency != "XBT" || e.Method != "crypto" || e.ValueUSD != 250_000 {
			t.Fatalf("the crypto payment as stored: %s %+v", got.State(), e)
		}
	})
}
