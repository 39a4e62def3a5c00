package store_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The source site reads an offer and its recipients on every submission, from
// a cache. A change made through the same Store shows at once; one made by
// another process (another app server, the command line) as soon as the
// watcher hears of it: well within the two seconds allowed here, although the
// cache would keep the old recipients for half a minute.
func TestOfferRecipientChangesShowAtOnceHereAndSoonElsewhere(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go s.WatchChanges(ctx, slog.New(slog.DiscardHandler))
		o := newOffer(t, s)
		if hs, err := s.OfferRecipients(ctx, o.ID); err != nil || len(hs) != 0 {
			t.Fatalf("a new offer has recipients: %v, %v", hs, err)
		}
		u := newDeskUser(t, s, "kim")
		kim := store.Holder{Name: u.Holder(), Recipient: u.PublicKey}
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Name); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 1 || hs[0] != kim {
			t.Fatalf("an added recipient is not seen at once: %v", hs)
		}
		if err := s.RemoveOfferRecipient(ctx, o.ID, kim.Name); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 0 {
			t.Fatalf("a removed recipient is still seen: %v", hs)
		}

		other, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if hs, _ := s.OfferRecipients(ctx, o.ID); len(hs) != 0 { // cached again
			t.Fatalf("recipients: %v", hs)
		}
		if err := other.AddOfferRecipient(ctx, o.ID, kim.Name); err != nil {
			t.Fatal(err)
		}
		if !within(2*time.Second, func() bool { hs, _ := s.OfferRecipients(ctx, o.ID); return len(hs) == 1 }) {
			t.Fatal("a recipient added by another process is not seen within 2 s")
		}

		edited := o
		edited.MaxRewardUSD = 1_000_000
		if err := s.SaveOffer(ctx, edited, false, store.RecipientChanges{}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.DefaultOffer(ctx); got.MaxRewardUSD != 1_000_000 {
			t.Fatalf("an edited offer is not seen at once: %d", got.MaxRewardUSD)
		}
	})
}

// A caller that changes the offer it was given changes nothing for others.
func TestCachedOfferCannotBeChangedByACaller(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		newOffer(t, s)
		first, _ := s.DefaultOffer(ctx)
		first.Title["en"] = "changed by a caller"
		first.Categories[0] = "changed"
		again, _ := s.DefaultOffer(ctx)
		if again.Title["en"] == "changed by a caller" || again.Categories[0] == "changed" {
			t.Fatal("a caller's change reached the cached offer")
		}
	})
}

// A tip sealed while its offer's recipients were being changed keeps only
// the wraps of users who still receive the offer when it commits.
func TestCommitDropsWrapsToUsersWhoNoLongerReceiveTheOffer(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		if err := s.AddOfferRecipient(ctx, o.ID, kim.Holder()); err != nil {
			t.Fatal(err)
		}
		n := newTip(o)
		n.WrappedKeys[kim.Holder()] = []byte("wrapped-kim")
		n.WrappedKeys[lee.Holder()] = []byte("wrapped-lee") // revoked after intake read the recipients
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WrappedKey(ctx, n.Tip.ID, kim.Holder()); err != nil {
			t.Fatalf("a current recipient lost their wrap: %v", err)
		}
		if _, err := s.WrappedKey(ctx, n.Tip.ID, lee.Holder()); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatalf("a user who no longer receives the offer kept a wrap: %v", err)
		}
		for _, h := range []string{"receipt", "recovery"} {
			if _, err := s.WrappedKey(ctx, n.Tip.ID, h); err != nil {
				t.Fatalf("the %s wrap was dropped: %v", h, err)
			}
		}
	})
}

// within polls cond until it holds or d has passed.
func within(d time.Duration, cond func() bool) bool {
	for start := time.Now(); time.Since(start) < d; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
