package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// Removing a user deletes their keys and sessions and keeps their name: it
// is refused, changing nothing, while a report they hold would be left with
// no copy at all or is on legal hold; it lists the reports no other desk
// user holds and goes ahead with those only when told to; the removal and
// its audit entry commit together; a removed account is never used again.
func TestRemoveUser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		shared := commitWrapped(t, s, o, kim, lee)
		kimAlone := commitWrapped(t, s, o, kim)
		only := newTip(o)
		only.WrappedKeys = map[string][]byte{kim.Holder(): []byte("wrapped-kim")}
		if err := s.CommitTips(ctx, []*store.NewTip{only}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateDeskSession(ctx, "session-of-kim", kim.ID, store.SessionDesk, []byte("k"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		entries := 0
		entry := func(ctx context.Context, r store.Removal) (context.Context, error) {
			entries++
			return store.WithAudit(ctx, chainSealer("cli", "user.remove", "")), nil
		}
		unchanged := func(when string) {
			t.Helper()
			for _, id := range []string{shared, kimAlone, only.Tip.ID} {
				if len(holders(s, id, kim.Holder())) != 1 {
					t.Fatalf("%s: kim's key to %s is gone", when, id)
				}
			}
			if _, _, err := s.DeskSession(ctx, "session-of-kim", store.SessionDesk); err != nil {
				t.Fatalf("%s: kim's session ended: %v", when, err)
			}
			if head, _, _ := s.AuditHead(ctx); head != 0 {
				t.Fatalf("%s: the audit log has %d entries", when, head)
			}
		}

		_, err := s.RemoveUser(ctx, kim.ID, true, entry)
		if tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "1 report would be left with no copy of its key at all") {
			t.Fatalf("a removal leaving a report with no copy: %v", err)
		}
		unchanged("refused for want of a copy")

		if err := s.GrantTipKey(ctx, only.Tip.ID, lee.Holder(), []byte("wrapped-lee")); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLabels(ctx, shared, nil, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RemoveUser(ctx, kim.ID, true, entry); tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "1 report on legal hold") {
			t.Fatalf("a removal over a legal hold: %v", err)
		}
		unchanged("refused for a legal hold")
		if err := s.SetLabels(ctx, shared, nil, false); err != nil {
			t.Fatal(err)
		}

		plan, err := s.PlanUserRemoval(ctx, kim.ID)
		if err != nil || plan.Held != 3 || !slices.Equal(plan.RecoveryOnly, []string{kimAlone}) {
			t.Fatalf("plan: %+v, %v; want 3 held, %s left to the recovery key", plan, err, kimAlone)
		}
		if _, err := s.RemoveUser(ctx, kim.ID, false, entry); !errors.Is(err, store.ErrRecoveryOnlyUnconfirmed) {
			t.Fatalf("an unconfirmed removal leaving a report to the recovery key: %v", err)
		}
		unchanged("unconfirmed")
		if entries != 0 {
			t.Fatalf("a refused removal built %d audit entries", entries)
		}

		done, err := s.RemoveUser(ctx, kim.ID, true, entry)
		if err != nil || done.Held != 3 || len(done.RecoveryOnly) != 1 {
			t.Fatalf("remove: %+v, %v", done, err)
		}
		for _, id := range []string{shared, kimAlone, only.Tip.ID} {
			if len(holders(s, id, kim.Holder())) != 0 {
				t.Fatalf("kim still holds %s", id)
			}
		}
		if got := holders(s, kimAlone, "recovery", "receipt"); len(got) != 2 {
			t.Fatalf("the report left to the recovery key keeps its other copies: %v", got)
		}
		if _, _, err := s.DeskSession(ctx, "session-of-kim", store.SessionDesk); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("kim's session outlived the removal: %v", err)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); slices.ContainsFunc(hs, func(h store.Holder) bool { return h.Name == kim.Holder() }) {
			t.Fatal("new reports still reach kim")
		}
		u, sec, err := s.UserByName(ctx, "kim")
		if err != nil || u.Removed.IsZero() || !u.Disabled || sec.Password != "" || len(sec.WrappedKey) != 0 || len(sec.TOTPSealed) != 0 {
			t.Fatalf("kim's record: %+v, %v; want it kept, marked removed, with no secret left", u, err)
		}
		if head, _, _ := s.AuditHead(ctx); head != 1 || entries != 1 {
			t.Fatalf("one audit entry, in the removal's transaction: %d", head)
		}

		for what, err := range map[string]error{
			"enable":                  s.SetUserDisabled(ctx, kim.ID, false),
			"reset the second factor": s.ResetSecondFactor(ctx, kim.ID, []byte("t"), "hash", time.Now().Add(time.Hour)),
			"reset the passphrase": func() error {
				_, err := s.ResetPassphrase(ctx, kim.ID, "hash", time.Now().Add(time.Hour), true, entry)
				return err
			}(),
		} {
			if tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "removed") {
				t.Errorf("%s a removed user: %v", what, err)
			}
		}
		if _, err := s.RemoveUser(ctx, kim.ID, true, entry); tip.ErrorCode(err) != tip.CodeConflict {
			t.Errorf("removing a removed user again: %v", err)
		}
		if err := s.GrantTipKey(ctx, shared, kim.Holder(), []byte("again")); err == nil {
			t.Error("a report was granted to a removed user")
		}
	})
}

// Reports committed by another server without pause while a user is removed
// or revoked: once the removal (or the revoke) has returned, the user holds
// no key, none of the reports committed meanwhile included — on PostgreSQL
// too, where a commit that had read the user as a recipient used to store
// their copy after the removal had deleted the others.
func TestNoKeyOutlivesARemovalOrARevoke(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		server, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		o := newOffer(t, s)
		for round := range 6 {
			u := newDeskUser(t, s, fmt.Sprintf("user-%d", round))
			if err := s.AddOfferRecipient(ctx, o.ID, u.Holder()); err != nil {
				t.Fatal(err)
			}
			var stop atomic.Bool
			var wg sync.WaitGroup
			wg.Go(func() {
				for !stop.Load() {
					n := newTip(o)
					n.WrappedKeys[u.Holder()] = []byte("wrapped")
					if err := server.CommitTips(ctx, []*store.NewTip{n}); err != nil {
						t.Error(err)
						return
					}
					time.Sleep(time.Millisecond) // a busy server, not one holding SQLite's writer for ever
				}
			})
			time.Sleep(5 * time.Millisecond)
			if round%2 == 0 {
				_, err = s.RemoveUser(ctx, u.ID, true, func(ctx context.Context, _ store.Removal) (context.Context, error) {
					return store.WithAudit(ctx, chainSealer("cli", "user.remove", "")), nil
				})
			} else {
				err = s.RevokeHolder(ctx, u.Holder(), "")
			}
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
			stop.Store(true)
			wg.Wait()
			ids, _ := s.TipsOfOffer(ctx, "")
			for _, id := range ids {
				if len(holders(s, id, u.Holder())) != 0 {
					t.Fatalf("round %d: %s holds report %s after being %s", round, u.Name, id, map[bool]string{true: "removed", false: "revoked"}[round%2 == 0])
				}
			}
		}
	})
}
