package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Of several servers asking at once, one refreshes the lists; none again
// until the cadence has passed.
func TestClaimListRefreshOncePerCadence(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx, now, every := context.Background(), time.Now(), time.Hour
		claims := 0
		for range 3 {
			ok, err := s.ClaimListRefresh(ctx, now, every)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				claims++
			}
		}
		if claims != 1 {
			t.Fatalf("%d servers claimed the refresh, want 1", claims)
		}
		if ok, _ := s.ClaimListRefresh(ctx, now.Add(30*time.Minute), every); ok {
			t.Fatal("claimed again within the cadence")
		}
		if ok, _ := s.ClaimListRefresh(ctx, now.Add(time.Hour), every); !ok {
			t.Fatal("not claimed after the cadence")
		}
	})
}

// A failing source keeps the time of its first failure, and a success
// clears it.
func TestRecordListRefresh(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx, first := context.Background(), time.Unix(1_800_000_000, 0)
		s.RecordListRefresh(ctx, "un", first, errors.New("404"))
		s.RecordListRefresh(ctx, "un", first.Add(time.Hour), errors.New("timeout"))
		rs, err := s.ListRefreshes(ctx)
		if err != nil || len(rs) != 1 || !rs[0].FailingSince.Equal(first) || rs[0].Error != "timeout" {
			t.Fatalf("%+v, %v", rs, err)
		}
		s.RecordListRefresh(ctx, "un", first.Add(2*time.Hour), nil)
		if rs, _ = s.ListRefreshes(ctx); !rs[0].FailingSince.IsZero() || !rs[0].LastOK.Equal(first.Add(2*time.Hour)) {
			t.Fatalf("after a success: %+v", rs)
		}
	})
}
