package cli_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/install"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// paidRewardInstall creates an installation on b holding one reward of
// US$250,000, approved by two committee members and paid in full, and
// returns its id and a raw handle on the database, for tampering.
func paidRewardInstall(t *testing.T, b storetest.Backend) (string, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := install.Init(ctx, install.Options{DataDir: b.DataDir, DSN: b.DSN}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	offer, err := st.DefaultOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := &store.NewTip{
		Tip:           tip.Tip{ID: tip.NewID(), OfferID: offer.ID, Category: "oil", Status: tip.StatusNew, ReceivedAt: time.Now()},
		ReceiptLookup: "lookup-" + tip.NewID(),
		WrappedKeys:   map[string][]byte{"recovery": []byte("wrapped")},
		Content:       []byte("sealed"),
	}
	if err := st.CommitTips(ctx, []*store.NewTip{n}); err != nil {
		t.Fatal(err)
	}
	var members []string
	for i, name := range []string{"kim", "judge-one", "judge-two"} {
		role := tip.RoleCommittee
		if i == 0 {
			role = tip.RoleAnalyst
		}
		u := tip.User{ID: tip.NewID(), Name: name, Roles: []tip.Role{role}, PublicKey: "age1test"}
		if err := st.CreateUser(ctx, store.NewUser{User: u, WrappedKey: []byte("w"), TOTPSealed: []byte("s")}); err != nil {
			t.Fatal(err)
		}
		members = append(members, u.ID)
	}
	r := &tip.Reward{ID: tip.NewID(), TipID: n.Tip.ID, AmountUSD: 250_000, RecommendedBy: members[0], RecommendedAt: time.Now()}
	if err := st.Recommend(ctx, r, []byte("sealed"), nil); err != nil {
		t.Fatal(err)
	}
	for _, d := range []store.Decision{
		{Kind: tip.LedgerApprove, Actor: members[1]},
		{Kind: tip.LedgerApprove, Actor: members[2]},
		{Kind: tip.LedgerPay, Actor: members[1], Payment: tip.Payment{Paid: "250000", Currency: "USD", Method: "bank", ValueUSD: 250_000}},
	} {
		d.RewardID = r.ID
		if _, err := st.Decide(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	driver, dsn := "pgx", b.DSN
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(b.DataDir, store.DBFile)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return r.ID, db
}

// A payment edited in the database to differ from its approval makes
// `tipline rewards verify` fail, naming the reward and saying how.
func TestRewardsVerifyFindsAPaymentThatDiffersFromItsApproval(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			rid, db := paidRewardInstall(t, b)
			args := []string{"rewards", "verify", "--data", b.DataDir}
			if b.DSN != "" {
				args = append(args, "--db", b.DSN)
			}
			if code, out, errs := auditRun(args...); code != 0 || out != "rewards ledger reconciles: 1 reward\n" {
				t.Fatalf("untouched: exit %d, stdout %q, stderr %q", code, out, errs)
			}
			auditExec(t, db, `UPDATE reward_ledger SET amount = 2500000, paid = '2500000' WHERE kind = 'pay'`)
			code, out, errs := auditRun(args...)
			if code == 0 || !strings.Contains(out, "reward "+rid) || !strings.Contains(out, "payment (entry 3) differs from the approval") ||
				!strings.Contains(errs, "tipline: error: the rewards ledger does not reconcile: 1 problem in 1 reward") {
				t.Fatalf("tampered: exit %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}
