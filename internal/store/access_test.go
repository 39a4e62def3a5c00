package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// commitWrapped commits a tip of offer o whose key is wrapped to the receipt,
// the recovery key and the given users, whom it subscribes to o first.
func commitWrapped(t *testing.T, s *store.Store, o tip.Offer, users ...tip.User) string {
	t.Helper()
	n := newTip(o)
	for _, u := range users {
		if err := s.AddOfferRecipient(context.Background(), o.ID, u.Holder()); err != nil {
			t.Fatal(err)
		}
		n.WrappedKeys[u.Holder()] = []byte("wrapped-" + u.Name)
	}
	if err := s.CommitTips(context.Background(), []*store.NewTip{n}); err != nil {
		t.Fatal(err)
	}
	return n.Tip.ID
}

// holders lists who holds a copy of a tip's key, of those asked about.
func holders(s *store.Store, tipID string, names ...string) []string {
	var out []string
	for _, h := range names {
		if _, err := s.WrappedKey(context.Background(), tipID, h); err == nil {
			out = append(out, h)
		}
	}
	return out
}

// The receipt's and the recovery key's copies are never revoked, replaced
// or unsubscribed, whoever asks the store; a holder that is not an existing
// user's is refused as invalid. Nothing changes either way.
func TestOnlyUsersCopiesAreManaged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim := newDeskUser(t, s, "kim")
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Holder()); err != nil {
			t.Fatal(err)
		}
		id := commitWrapped(t, s, o, kim)
		for _, holder := range []string{"receipt", "recovery"} {
			for what, err := range map[string]error{
				"revoke from the offer": s.RevokeHolder(ctx, holder, o.ID),
				"revoke everywhere":     s.RevokeHolder(ctx, holder, ""),
				"unsubscribe":           s.RemoveOfferRecipient(ctx, o.ID, holder),
				"subscribe":             s.AddOfferRecipient(ctx, o.ID, holder),
				"grant (overwrite)":     s.GrantTipKey(ctx, id, holder, []byte("garbage")),
			} {
				if tip.ErrorCode(err) != tip.CodeForbidden || !strings.Contains(tip.ErrorMessage(err), "never") {
					t.Errorf("%s of %s: got %v, want forbidden with the reason", what, holder, err)
				}
			}
		}
		for _, holder := range []string{"user:" + tip.NewID(), "kim", "user:", "", "receipt "} {
			if err := s.RevokeHolder(ctx, holder, o.ID); tip.ErrorCode(err) != tip.CodeInvalid {
				t.Errorf("revoke of %q: got %v, want invalid", holder, err)
			}
			if err := s.AddOfferRecipient(ctx, o.ID, holder); tip.ErrorCode(err) != tip.CodeInvalid {
				t.Errorf("subscribe %q: got %v, want invalid", holder, err)
			}
		}
		if got := holders(s, id, "receipt", "recovery", kim.Holder()); len(got) != 3 {
			t.Fatalf("a refused change touched the keys: %v left", got)
		}
		if w, _ := s.WrappedKey(ctx, id, "receipt"); string(w) != "wrapped-r" {
			t.Fatalf("the receipt's copy was overwritten: %q", w)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 || hs[0].Name != kim.Holder() {
			t.Fatalf("a refused change touched the subscriptions: %v", hs)
		}
	})
}

// An offer's recipient is always a real analyst's current public key: the
// store reads it from the account, whatever the caller could have passed.
func TestOnlyAnalystsAreSubscribed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		auditor := tip.User{ID: tip.NewID(), Name: "ann", Roles: []tip.Role{tip.RoleAuditor}, PublicKey: "age1exampleann"}
		if err := s.CreateUser(ctx, store.NewUser{User: auditor, Password: "verifier", WrappedKey: []byte("w"), TOTPSealed: []byte("t")}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddOfferRecipient(ctx, o.ID, auditor.Holder()); tip.ErrorCode(err) != tip.CodeInvalid {
			t.Fatalf("an auditor subscribed to an offer: %v", err)
		}
		kim := newDeskUser(t, s, "kim")
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Holder()); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 || hs[0] != (store.Holder{Name: kim.Holder(), Recipient: kim.PublicKey}) {
			t.Fatalf("recipients: %v, want kim with her own key", hs)
		}
	})
}

// A revoke never leaves a report with no copy but the recovery key's; it is
// refused whole, naming how many reports and what to do, and goes through
// once another analyst holds them.
func TestRevokeNeverLeavesOnlyTheRecoveryKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Holder()); err != nil {
			t.Fatal(err)
		}
		withReceipt := commitWrapped(t, s, o, kim)
		var ended []string
		for range 2 {
			id := commitWrapped(t, s, o, kim)
			if err := s.EndReceiptAccess(ctx, id); err != nil {
				t.Fatal(err)
			}
			ended = append(ended, id)
		}

		for _, offerID := range []string{o.ID, ""} {
			err := s.RevokeHolder(ctx, kim.Holder(), offerID)
			if tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "2 reports would be left with only the offline recovery key") ||
				!strings.Contains(tip.ErrorMessage(err), "grant them to another analyst first") {
				t.Fatalf("revoking the last user copy (offer %q): got %v", offerID, err)
			}
		}
		for _, id := range append(ended, withReceipt) {
			if got := holders(s, id, kim.Holder()); len(got) != 1 {
				t.Fatal("a refused revoke deleted some of kim's keys")
			}
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 {
			t.Fatal("a refused revoke unsubscribed kim")
		}

		for _, id := range ended {
			if err := s.GrantTipKey(ctx, id, lee.Holder(), []byte("wrapped-lee")); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RevokeHolder(ctx, kim.Holder(), o.ID); err != nil {
			t.Fatalf("with lee holding the reports, the revoke should go through: %v", err)
		}
		if got := holders(s, withReceipt, kim.Holder(), "receipt", "recovery"); strings.Join(got, ",") != "receipt,recovery" {
			t.Fatalf("a report with its receipt: %v left", got)
		}
		for _, id := range ended {
			if got := holders(s, id, kim.Holder(), lee.Holder(), "recovery"); strings.Join(got, ",") != lee.Holder()+",recovery" {
				t.Fatalf("a report whose receipt ended: %v left", got)
			}
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 0 {
			t.Fatalf("a revoked user still receives the offer: %v", hs)
		}
	})
}

// A report on legal hold, or with a reward that was not denied, keeps its
// readers: the revoke is refused whole, with the reason, and goes through
// once the hold is released and the reward denied.
func TestRevokeRespectsLegalHoldsAndLiveRewards(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		held := commitWrapped(t, s, o, kim, lee)
		rewarded := commitWrapped(t, s, o, kim, lee)
		plain := commitWrapped(t, s, o, kim, lee)
		if err := s.SetLabels(ctx, held, nil, true); err != nil {
			t.Fatal(err)
		}
		r, err := recommend(t, s, rewarded, 10_000, kim.ID)
		if err != nil {
			t.Fatal(err)
		}
		err = s.RevokeHolder(ctx, kim.Holder(), "")
		msg := tip.ErrorMessage(err)
		if tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(msg, "1 report on legal hold") || !strings.Contains(msg, "1 report with an open, approved or paid reward") ||
			!strings.Contains(msg, "disable them") {
			t.Fatalf("revoke over a legal hold and an open reward: got %v", err)
		}
		for _, id := range []string{held, rewarded, plain} {
			if len(holders(s, id, kim.Holder())) != 1 {
				t.Fatal("a refused revoke deleted some of kim's keys")
			}
		}

		if err := s.SetLabels(ctx, held, nil, false); err != nil {
			t.Fatal(err)
		}
		if err := decide(s, r.ID, tip.LedgerApprove, lee.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeHolder(ctx, kim.Holder(), ""); tip.ErrorCode(err) != tip.CodeConflict || strings.Contains(tip.ErrorMessage(err), "legal hold") {
			t.Fatalf("a reward half approved keeps its readers (and the hold is gone): %v", err)
		}
		if err := decide(s, r.ID, tip.LedgerDeny, "m2"); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeHolder(ctx, kim.Holder(), ""); err != nil {
			t.Fatalf("with the hold released and the reward denied, the revoke should go through: %v", err)
		}
	})
}

// Two admins revoking the two analysts who hold a report at once: one of
// them is refused, so the report is never left with the recovery key alone.
func TestConcurrentRevokesLeaveACopy(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		other, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		for round := range 10 {
			id := commitWrapped(t, s, o, kim, lee)
			if err := s.EndReceiptAccess(ctx, id); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range []struct {
				s *store.Store
				u tip.User
			}{{s, kim}, {other, lee}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = pair.s.RevokeHolder(ctx, pair.u.Holder(), o.ID)
				}()
			}
			wg.Wait()
			if left := holders(s, id, kim.Holder(), lee.Holder()); len(left) != 1 {
				t.Fatalf("round %d: %v left after two concurrent revokes (errors %v)", round, left, errs)
			}
		}
	})
}

// A disabled user receives no new tip — not from the cache, not from a tip
// sealed before the disabling and committed after — and no grant; their
// subscriptions are kept, so once enabled they receive new tips again.
func TestDisabledUsersReceiveNothingNew(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim := newDeskUser(t, s, "kim")
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Holder()); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 { // fills the cache
			t.Fatalf("recipients: %v", hs)
		}
		sealedBefore := newTip(o)
		sealedBefore.WrappedKeys[kim.Holder()] = []byte("wrapped-kim")

		if err := s.SetUserDisabled(ctx, kim.ID, true); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 0 {
			t.Fatalf("a disabled user still receives the offer: %v", hs)
		}
		if err := s.CommitTips(ctx, []*store.NewTip{sealedBefore}); err != nil {
			t.Fatal(err)
		}
		if got := holders(s, sealedBefore.Tip.ID, kim.Holder()); len(got) != 0 {
			t.Fatal("a tip committed after the disabling was wrapped to the disabled user")
		}
		id := commitWrapped(t, s, o)
		if err := s.GrantTipKey(ctx, id, kim.Holder(), []byte("wrapped-kim")); tip.ErrorCode(err) != tip.CodeInvalid {
			t.Fatalf("a grant to a disabled user: %v", err)
		}
		subs, err := s.OfferSubscriptions(ctx, o.ID)
		if err != nil || len(subs) != 1 || !subs[0].Disabled || subs[0].Name != "kim" {
			t.Fatalf("the subscription should be kept, marked disabled: %+v %v", subs, err)
		}

		if err := s.SetUserDisabled(ctx, kim.ID, false); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 || hs[0].Name != kim.Holder() {
			t.Fatalf("an enabled user should receive the offer again: %v", hs)
		}
		if err := s.SetUserDisabled(ctx, tip.NewID(), true); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatalf("disabling no one: %v", err)
		}
	})
}
