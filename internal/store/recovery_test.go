package store_test

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Reports committed without pause by another server while a rotation runs,
// each wrapped to the recipient that server last read (at most a second
// before, as intake does): when the rotation has finished, every
// recovery copy is wrapped to the new recipient and nothing is left listed —
// on PostgreSQL too, where the commits and the rotation run at once.
func TestRotationMissesNoReportCommittedMeanwhile(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		const old, next = "age1oldrecipient", "age1newrecipient"
		server, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		commit := func(to string) error {
			n := newTip(o)
			n.WrappedKeys["recovery"], n.RecoveryRecipient = []byte("to:"+to), to
			return server.CommitTips(ctx, []*store.NewTip{n})
		}
		for range 5 {
			if err := commit(old); err != nil {
				t.Fatal(err)
			}
		}
		var stop atomic.Bool
		var wg sync.WaitGroup
		var committed, refused atomic.Int64
		wg.Go(func() {
			defer stop.Store(true)
			for !stop.Load() {
				// As intake: the recipient read at most a second ago.
				st, err := server.Recovery(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				to := cmp.Or(st.Recipient, old)
				err = commit(to)
				switch {
				case errors.Is(err, store.ErrRecoveryRotated):
					refused.Add(1)
				case err != nil:
					t.Error(err)
					return
				default:
					committed.Add(1)
				}
				time.Sleep(time.Millisecond) // a busy server, not a flood the rotation must chase
			}
		})
		entry := func(ctx context.Context, _ int) (context.Context, error) {
			return store.WithAudit(ctx, chainSealer("cli", "recovery.rotate", "")), nil
		}
		if _, err := s.StartRecoveryRotation(ctx, old, next, entry); err != nil {
			t.Fatal(err)
		}
		for rounds := 0; ; rounds++ {
			ids, err := s.RecoveryPending(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				w, err := s.WrappedKey(ctx, id, "recovery")
				if err != nil {
					t.Fatal(err)
				}
				if string(w) != "to:"+old {
					t.Fatalf("report %s is listed with a copy %q", id, w)
				}
				if err := s.RewrapRecovery(ctx, id, w, []byte("to:"+next)); err != nil {
					t.Fatal(err)
				}
			}
			if len(ids) > 0 {
				continue
			}
			_, err = s.FinishRecoveryRotation(ctx, entry)
			if err == nil {
				break
			}
			if !errors.Is(err, store.ErrRotationUnfinished) || rounds > 1000 {
				t.Fatal(err)
			}
		}
		// A few more after the end, the first ones still wrapped to the old
		// recipient (and refused) when the server read it within the second.
		for after := committed.Load() + 3; committed.Load() < after && !stop.Load(); {
			time.Sleep(time.Millisecond)
		}
		stop.Store(true)
		wg.Wait()
		ids, _ := s.TipsOfOffer(ctx, "")
		for _, id := range ids {
			if w, _ := s.WrappedKey(ctx, id, "recovery"); string(w) != "to:"+next {
				t.Fatalf("after the rotation report %s's recovery copy is %q", id, w)
			}
		}
		if left, _ := s.RecoveryPending(ctx, 10); len(left) != 0 {
			t.Fatalf("listed after the rotation: %v", left)
		}
		if st, _ := s.Recovery(ctx); st.Recipient != next || st.RotatingFrom != "" {
			t.Fatalf("state after the rotation: %+v", st)
		}
		t.Logf("%d reports committed during the rotation, %d refused and wrapped again", committed.Load(), refused.Load())
	})
}

// A rotation started or finished by one process is announced to every
// server, which forgets the recovery recipient it cached at once.
func TestRotationIsAnnounced(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		server, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		changes := server.CacheChanges()
		go server.WatchChanges(ctx, slog.New(slog.DiscardHandler))
		if st, err := server.Recovery(ctx); err != nil || st.Recipient != "" {
			t.Fatalf("before any rotation: %+v %v", st, err)
		}
		time.Sleep(100 * time.Millisecond) // listening
		entry := func(ctx context.Context, _ int) (context.Context, error) {
			return store.WithAudit(ctx, chainSealer("cli", "recovery.rotate", "")), nil
		}
		if _, err := s.StartRecoveryRotation(ctx, "age1old", "age1new", entry); err != nil {
			t.Fatal(err)
		}
		select {
		case <-changes:
		case <-time.After(5 * time.Second):
			t.Fatal("the rotation's start was not announced")
		}
		if st, _ := server.Recovery(ctx); st.Recipient != "age1new" || st.RotatingFrom != "age1old" {
			t.Fatalf("after the announcement the server reads %+v", st)
		}
	})
}
