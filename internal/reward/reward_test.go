package reward_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/reward"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// paidReward is a reconciled ledger made through the store: a report, a
// recommendation of US$250,000 by an analyst, two committee approvals and
// the payment of US$250,000 by bank (entries 1, 2 and 3).
type paidReward struct {
	s                             *store.Store
	db                            *sql.DB // the same database, behind the store's back
	tipID, offerID, rewardID      string
	analyst, m1, m2, m3, outsider string // user ids
}

func newPaidReward(t *testing.T, s *store.Store, b storetest.Backend) paidReward {
	t.Helper()
	ctx := context.Background()
	o := tip.Offer{ID: tip.NewID(), Title: map[string]string{"en": "DPRK"}, Description: map[string]string{},
		MaxRewardUSD: tip.DefaultMaxRewardUSD, Categories: tip.DPRKCategories, IsDefault: true, CreatedAt: time.Now()}
	if err := s.CreateOffer(ctx, o); err != nil {
		t.Fatal(err)
	}
	n := &store.NewTip{
		Tip:           tip.Tip{ID: tip.NewID(), OfferID: o.ID, Category: "oil", Status: tip.StatusNew, ReceivedAt: time.Now()},
		ReceiptLookup: "lookup-" + tip.NewID(),
		WrappedKeys:   map[string][]byte{"recovery": []byte("wrapped")},
		Content:       []byte("sealed"),
	}
	if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
		t.Fatal(err)
	}
	p := paidReward{s: s, db: rawDB(t, b), tipID: n.Tip.ID, offerID: o.ID}
	for _, u := range []struct {
		id   *string
		name string
		role tip.Role
	}{{&p.analyst, "kim", tip.RoleAnalyst}, {&p.m1, "judge-one", tip.RoleCommittee}, {&p.m2, "judge-two", tip.RoleCommittee},
		{&p.m3, "judge-three", tip.RoleCommittee}, {&p.outsider, "lee", tip.RoleAnalyst}} {
		*u.id = tip.NewID()
		if err := s.CreateUser(ctx, store.NewUser{User: tip.User{ID: *u.id, Name: u.name, Roles: []tip.Role{u.role}, PublicKey: "age1test"}, WrappedKey: []byte("wrapped"), TOTPSealed: []byte("sealed")}); err != nil {
			t.Fatal(err)
		}
	}
	r := &tip.Reward{ID: tip.NewID(), TipID: p.tipID, AmountUSD: 250_000, RecommendedBy: p.analyst, RecommendedAt: time.Now()}
	if err := s.Recommend(ctx, r, []byte("sealed justification"), nil); err != nil {
		t.Fatal(err)
	}
	p.rewardID = r.ID
	for _, d := range []store.Decision{
		{Kind: tip.LedgerApprove, Actor: p.m1},
		{Kind: tip.LedgerApprove, Actor: p.m2},
		{Kind: tip.LedgerPay, Actor: p.m1, Payment: tip.Payment{Paid: "250000", Currency: "USD", Method: "bank", ValueUSD: 250_000}},
	} {
		d.RewardID = r.ID
		if _, err := s.Decide(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// rawDB opens the backend's database behind the store's back, as someone
// with access to the database would.
func rawDB(t *testing.T, b storetest.Backend) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", b.DSN
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Every rule Verify checks, broken by editing the database directly: each
// must be reported, naming the reward (or, for the cap, the report).
func TestVerifyFindsEveryTamperedLedger(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(p paidReward) []string // SQL run behind the store's back
		want   string                      // in the problem reported
		byTip  bool                        // the problem names the report, not one reward
	}{
		{"an entry removed", func(p paidReward) []string {
			return []string{p.ledger("DELETE FROM reward_ledger", 1)}
		}, "entry 1 is numbered 2: an entry was removed or reordered", false},
		{"approved by the recommender", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET actor = '"+p.analyst+"'", 1)}
		}, "approved by its own recommender " + "%analyst", false},
		{"approved by someone not on the committee", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET actor = '"+p.outsider+"'", 1)}
		}, "who is not on the committee", false},
		{"approved twice by one member", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET actor = '"+p.m1+"'", 2)}
		}, "approved twice by %m1", false},
		{"paid with one approval", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET kind = 'correct'", 2)}
		}, "paid (entry 3) without the approval of 2 distinct committee members", false},
		{"paid more than approved", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET amount = 400000, paid = '400000'", 3)}
		}, "payment (entry 3) differs from the approval: US$250,000 was approved, but the payment records 400000 USD", false},
		{"paid less than approved, its value left as approved", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET paid = '25000'", 3)}
		}, "the payment records 25000 USD", false},
		{"paid in another currency by bank", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET currency = 'EUR'", 3)}
		}, "a bank payment is made in USD, not EUR", false},
		{"paid in crypto worth less than approved", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET method = 'crypto', currency = 'XBT', paid = '2.5', amount = 150000", 3)}
		}, "the 2.5 XBT paid are recorded as worth US$150,000", false},
		{"paid in crypto with no value recorded", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET method = 'crypto', currency = 'XBT', paid = '4', amount = 0", 3)}
		}, "a payment of 4 XBT needs its value in whole US dollars", false},
		{"the approval raised after the payment", func(p paidReward) []string {
			return []string{"UPDATE rewards SET amount_usd = 300000 WHERE id = '" + p.rewardID + "'"}
		}, "US$300,000 was approved, but the payment records 250000 USD", false},
		{"paid twice", func(p paidReward) []string {
			return []string{p.insert(4, "pay", p.m2, "250000, '250000', 'USD', 'bank'")}
		}, "paid twice (entry 4)", false},
		{"approved after the payment", func(p paidReward) []string {
			return []string{p.insert(4, "approve", p.m3, "0, '', '', ''")}
		}, "entry 4 (approve) follows the payment", false},
		{"paid after a denial", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET kind = 'deny'", 2)}
		}, "entry 3 (pay) follows the denial", false},
		{"denied once approved", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET kind = 'deny', amount = 0, paid = '', currency = '', method = ''", 3)}
		}, "denied (entry 3) once already approved", false},
		{"approved again once approved", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET kind = 'approve', actor = '"+p.m3+"', amount = 0, paid = '', currency = '', method = ''", 3)}
		}, "approved again (entry 3) by %m3 once already approved", false},
		{"an entry of an unknown kind", func(p paidReward) []string {
			return []string{p.ledger("UPDATE reward_ledger SET kind = 'refund'", 3)}
		}, `entry 3 is of unknown kind "refund"`, false},
		{"over the report's cap", func(p paidReward) []string {
			return []string{"UPDATE offers SET max_reward_usd = 100000 WHERE id = '" + p.offerID + "'"}
		}, "US$250,000 approved in all, over the cap of US$100,000", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
				ctx := context.Background()
				p := newPaidReward(t, s, b)
				if problems, n, err := reward.Verify(ctx, s); err != nil || len(problems) != 0 || n != 1 {
					t.Fatalf("before tampering the ledger reconciles: %v %d %v", problems, n, err)
				}
				for _, q := range c.tamper(p) {
					if _, err := p.db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				problems, _, err := reward.Verify(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				want := strings.NewReplacer("%analyst", p.analyst, "%m1", p.m1, "%m3", p.m3).Replace(c.want)
				for _, pr := range problems {
					named := pr.RewardID == p.rewardID && pr.TipID == p.tipID
					if c.byTip {
						named = pr.TipID == p.tipID
					}
					if named && strings.Contains(pr.What, want) {
						return
					}
				}
				t.Fatalf("want a problem saying %q, got %v", want, problems)
			})
		})
	}
}

// ledger scopes a statement on reward_ledger to one entry of p's reward.
func (p paidReward) ledger(stmt string, seq int) string {
	return fmt.Sprintf("%s WHERE reward_id = '%s' AND seq = %d", stmt, p.rewardID, seq)
}

// insert appends an entry to p's reward; rest is amount, paid, currency
// and method.
func (p paidReward) insert(seq int, kind, actor, rest string) string {
	return fmt.Sprintf("INSERT INTO reward_ledger (id, reward_id, seq, kind, actor, at, amount, paid, currency, method) VALUES ('%s', '%s', %d, '%s', '%s', %d, %s)",
		tip.NewID(), p.rewardID, seq, kind, actor, time.Now().Unix(), rest)
}

// Oversight reports what the payments record, not the approvals they
// settle, and sums what was paid per currency exactly.
func TestOversightPaidIsWhatThePaymentsRecord(t *testing.T) {
	at := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	paid := func(amountUSD int64, pays ...tip.LedgerEntry) tip.Reward {
		r := tip.Reward{ID: tip.NewID(), OfferID: "dprk", AmountUSD: amountUSD, RecommendedAt: at, Ledger: []tip.LedgerEntry{
			{Seq: 1, Kind: tip.LedgerApprove, Actor: "m1", At: at}, {Seq: 2, Kind: tip.LedgerApprove, Actor: "m2", At: at}}}
		for i, e := range pays {
			e.Seq, e.Kind = 3+i, tip.LedgerPay
			r.Ledger = append(r.Ledger, e)
		}
		return r
	}
	totals := reward.Oversight([]tip.Reward{
		paid(250_000, tip.LedgerEntry{Paid: "200000", Currency: "USD", Method: "bank", ValueUSD: 200_000}),
		paid(300_000, tip.LedgerEntry{Paid: "3.75", Currency: "XBT", Method: "crypto", ValueUSD: 300_000}),
		paid(20_000, tip.LedgerEntry{Paid: "0.25", Currency: "XBT", Method: "crypto", ValueUSD: 20_000}),
		paid(100_000), // approved, not paid
	}, nil)
	if len(totals) != 1 {
		t.Fatalf("one offer and month: %+v", totals)
	}
	got := totals[0]
	if got.Approved != 670_000 || got.Paid != 520_000 {
		t.Fatalf("approved %d (want 670000), paid %d (want 520000: the payments' values)", got.Approved, got.Paid)
	}
	if strings.Join(got.PaidAs, ", ") != "200000 USD, 4 XBT" {
		t.Fatalf("paid as %q, want 200000 USD, 4 XBT", got.PaidAs)
	}
}
