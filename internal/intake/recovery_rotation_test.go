package intake_test

import (
	"context"
	"errors"
	"testing"

	"tipline/internal/receipt"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// A rotation of the recovery key run by another process (tipline recovery
// rotate) reaches a running server: a report the server sealed to the old
// recipient, in the second before it saw the rotation, is listed for the
// rotation while it runs and wrapped again to the new recipient once it has
// finished — never stored wrapped to a retired key.
func TestReportsFollowARotationRunElsewhere(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			ctx := context.Background()
			c := s.client(t)
			c.submit("/submit", validReport) // the server has read the recovery recipient
			other, err := store.Open(ctx, b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			next, err := seal.NewKey()
			if err != nil {
				t.Fatal(err)
			}
			noEntry := func(ctx context.Context, _ int) (context.Context, error) { return store.WithAudit(ctx, nopSealer), nil }
			listed, err := other.StartRecoveryRotation(ctx, s.recovery.Recipient().String(), next.Recipient().String(), noEntry)
			if err != nil || listed != 1 {
				t.Fatalf("start: %d listed, %v", listed, err)
			}
			during := s.tipID(t, c.submit("/submit", validReport))
			pending, err := other.RecoveryPending(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !openedBy(t, s.store, during, s.recovery) || len(pending) != 2 || pending[0] != during && pending[1] != during {
				t.Fatalf("a report sealed to the old recipient during the rotation must be listed for it: %v", pending)
			}
			if _, err := other.FinishRecoveryRotation(ctx, noEntry); !errors.Is(err, store.ErrRotationUnfinished) {
				t.Fatalf("finish with reports listed: %v", err)
			}
			for _, id := range pending {
				old, _ := other.WrappedKey(ctx, id, "recovery")
				key, err := seal.Unwrap(old, s.recovery)
				if err != nil {
					t.Fatal(err)
				}
				rewrapped, _ := seal.Wrap(key, next.Recipient())
				if err := other.RewrapRecovery(ctx, id, old, rewrapped); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := other.FinishRecoveryRotation(ctx, noEntry); err != nil {
				t.Fatal(err)
			}
			// The server may still hold the old recipient for up to a second:
			// its commit is refused and the report wrapped again.
			after := s.tipID(t, c.submit("/submit", validReport))
			if !openedBy(t, s.store, after, next) || openedBy(t, s.store, after, s.recovery) {
				t.Fatal("a report received after the rotation must be wrapped to the new recovery key only")
			}
			if pending, _ := other.RecoveryPending(ctx, 10); len(pending) != 0 {
				t.Fatalf("nothing is listed after the rotation: %v", pending)
			}
		})
	}
}

// nopSealer is an audit entry for tests of the store's side alone.
func nopSealer(seq int64, prev string) (store.AuditEntry, error) {
	return store.AuditEntry{Seq: seq, Actor: "test", Action: "test", PrevHash: prev, Hash: "h"}, nil
}

func (s *site) tipID(t *testing.T, rcpt string) string {
	t.Helper()
	readings, _ := receipt.Parse(rcpt)
	tp, err := s.store.TipByReceipt(context.Background(), readings[0].LookupID())
	if err != nil {
		t.Fatal(err)
	}
	return tp.ID
}

// openedBy says whether the report's recovery copy opens with key, and the
// key it holds opens the report.
func openedBy(t *testing.T, st *store.Store, tipID string, key *seal.Key) bool {
	t.Helper()
	ctx := context.Background()
	wrapped, err := st.WrappedKey(ctx, tipID, "recovery")
	if err != nil {
		t.Fatal(err)
	}
	tipKey, err := seal.Unwrap(wrapped, key)
	if err != nil {
		return false
	}
	sealed, err := st.TipContent(ctx, tipID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = seal.OpenBytes(sealed, tipKey)
	return err == nil
}
