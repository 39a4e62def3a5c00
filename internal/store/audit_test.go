package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// chainSealer builds entries the way the audit package does, minus the key:
// enough for the store's tests to check that heads, seqs and links hold.
func chainSealer(actor, action, tipID string) store.AuditSealer {
	return func(seq int64, prev string) (store.AuditEntry, error) {
		e := store.AuditEntry{Seq: seq, At: 1_700_000_000 + seq, Actor: actor, Action: action, TipID: tipID, Detail: "d", PrevHash: prev}
		e.Hash = fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(seq, prev, actor, action, tipID))))
		e.MAC = "mac"
		return e, nil
	}
}

// checkChain walks the log and fails unless seqs run 1..want with each
// entry linked to the one before.
func checkChain(t *testing.T, s *store.Store, want int) {
	t.Helper()
	prev, n := "", int64(0)
	err := s.WalkAudit(context.Background(), 0, func(e store.AuditEntry) error {
		n++
		if e.Seq != n || e.PrevHash != prev {
			return fmt.Errorf("entry %d (at position %d) has prev %q, want %q", e.Seq, n, e.PrevHash, prev)
		}
		prev = e.Hash
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(want) {
		t.Fatalf("chain has %d entries, want %d", n, want)
	}
}

func TestAuditAppendListWalk(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		if seq, hash, err := s.AuditHead(ctx); err != nil || seq != 0 || hash != "" {
			t.Fatalf("empty head = %d %q %v", seq, hash, err)
		}
		for i := range 7 {
			actor, tipID := "user:a", ""
			if i%2 == 1 {
				actor, tipID = "user:b", "tip1"
			}
			e, err := s.AppendAudit(ctx, chainSealer(actor, "tip.read", tipID))
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d got seq %d", i+1, e.Seq)
			}
		}
		checkChain(t, s, 7)
		seq, hash, err := s.AuditHead(ctx)
		if err != nil || seq != 7 || hash == "" {
			t.Fatalf("head = %d %q %v", seq, hash, err)
		}

		page, err := s.ListAudit(ctx, store.AuditFilter{Limit: 3})
		if err != nil || len(page) != 3 || page[0].Seq != 7 || page[2].Seq != 5 {
			t.Fatalf("first page = %+v, %v", page, err)
		}
		page, err = s.ListAudit(ctx, store.AuditFilter{Limit: 3, Before: page[2].Seq})
		if err != nil || len(page) != 3 || page[0].Seq != 4 {
			t.Fatalf("second page = %+v, %v", page, err)
		}
		byTip, err := s.ListAudit(ctx, store.AuditFilter{TipID: "tip1"})
		if err != nil || len(byTip) != 3 || byTip[0].Seq != 6 || byTip[0].TipID != "tip1" {
			t.Fatalf("by tip = %+v, %v", byTip, err)
		}
		byActor, err := s.ListAudit(ctx, store.AuditFilter{Actor: "user:a", Before: 7})
		if err != nil || len(byActor) != 3 || byActor[0].Seq != 5 || byActor[0].TipID != "" {
			t.Fatalf("by actor = %+v, %v", byActor, err)
		}
	})
}

// An entry attached to a context commits with the first write under it,
// and not at all when that write fails.
func TestAttachedAuditCommitsWithTheWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		failing := store.WithAudit(ctx, chainSealer("user:a", "tip.status", "no-such-tip"))
		if err := s.SetStatus(failing, "no-such-tip", "no-such-status"); err == nil {
			t.Fatal("status of a report that does not exist was set")
		}
		checkChain(t, s, 0)

		ctx = store.WithAudit(ctx, chainSealer("user:a", "session.end", ""))
		if err := s.EndDeskSessions(ctx, "nobody", ""); err != nil {
			t.Fatal(err)
		}
		checkChain(t, s, 1)
		// The entry is spent: a second write under the same context does not
		// append it again.
		if err := s.EndDeskSessions(ctx, "nobody", ""); err != nil {
			t.Fatal(err)
		}
		checkChain(t, s, 1)
		if _, err := s.AppendAudit(context.Background(), chainSealer("cli", "grant", ""), chainSealer("cli", "grant", "")); err != nil {
			t.Fatal(err)
		}
		checkChain(t, s, 3)
	})
}

func TestAuditAppendRefusesAWrongSeq(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		_, err := s.AppendAudit(context.Background(), func(seq int64, prev string) (store.AuditEntry, error) {
			e, _ := chainSealer("cli", "x", "")(seq, prev)
			e.Seq += 5
			return e, nil
		})
		if err == nil {
			t.Fatal("an entry with the wrong seq was appended")
		}
		checkChain(t, s, 0)
	})
}

// Several app servers (separate Stores, each with its own connections) append
// at once: the chain must come out unbroken, with no seq lost or repeated.
func TestAuditConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		servers := []*store.Store{s}
		for range 2 {
			other, err := store.Open(ctx, b.DataDir, b.DSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			servers = append(servers, other)
		}
		const workers, each = 12, 15
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				srv := servers[w%len(servers)]
				for range each {
					var err error
					if w%2 == 0 {
						_, err = srv.AppendAudit(ctx, chainSealer(fmt.Sprint("user:", w), "tip.read", ""))
					} else {
						err = srv.EndDeskSessions(store.WithAudit(ctx, chainSealer(fmt.Sprint("user:", w), "session.end", "")), "nobody", "")
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		checkChain(t, s, workers*each)
	})
}
