package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An edit rewrites what an admin may change and keeps the rest; the subject
// round-trips; an unknown offer is not found.
func TestUpdateOfferKeepsIdentity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		o.Title = map[string]string{"en": "MV Example", "ko": "예시호"}
		o.Description = map[string]string{"en": "Where is it?"}
		o.MaxRewardUSD = 1_000_000
		o.Categories = []tip.Category{"oil", "fishing_fleets"}
		o.Subject = "MV Example (IMO 1234567)"
		o.StartsAt, o.EndsAt = start, start.AddDate(1, 0, 0)
		if err := s.SaveOffer(ctx, o, false, store.RecipientChanges{}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Offer(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title["ko"] != "예시호" || got.MaxRewardUSD != 1_000_000 || got.Subject != o.Subject ||
			len(got.Categories) != 2 || got.Categories[1] != "fishing_fleets" ||
			!got.StartsAt.Equal(start) || !got.EndsAt.Equal(o.EndsAt) || !got.IsDefault || got.CreatedAt.Unix() != o.CreatedAt.Unix() {
			t.Fatalf("got %+v", got)
		}
		o.ID = tip.NewID()
		if err := s.SaveOffer(ctx, o, false, store.RecipientChanges{}); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatalf("updating a missing offer: got %v, want not found", err)
		}
	})
}

// The ceiling cannot go below what an offer promises; the refusal names the
// offer.
func TestCeilingBelowAnOfferIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s) // promises US$5,000,000
		err := s.SetRewardCeilingChecked(ctx, 4_000_000)
		if tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), o.Title["en"]) {
			t.Fatalf("got %v, want a conflict naming %q", err, o.Title["en"])
		}
		if c, _ := s.RewardCeiling(ctx); c != 5_000_000 {
			t.Fatalf("a refused ceiling changed it to %d", c)
		}
		if err := s.SetRewardCeilingChecked(ctx, 0); tip.ErrorCode(err) != tip.CodeInvalid {
			t.Fatalf("a zero ceiling: got %v", err)
		}
		if err := s.SetRewardCeilingChecked(ctx, 7_500_000); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.RewardCeiling(ctx); c != 7_500_000 {
			t.Fatalf("ceiling is %d, want 7,500,000", c)
		}
	})
}
