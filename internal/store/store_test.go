package store_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

func newOffer(t *testing.T, s *store.Store) tip.Offer {
	t.Helper()
	o := tip.Offer{ID: tip.NewID(), Title: map[string]string{"en": "North Korea sanctions evasion"}, Description: map[string]string{},
		MaxRewardUSD: tip.DefaultMaxRewardUSD, Categories: tip.DPRKCategories, IsDefault: true, CreatedAt: time.Now()}
	if err := s.CreateOffer(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return o
}

func stage(t *testing.T, s *store.Store, data []byte) string {
	t.Helper()
	w, err := s.NewStagedBlob(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.ID()
}

func newTip(offer tip.Offer, staged ...string) *store.NewTip {
	id := tip.NewID()
	return &store.NewTip{
		Tip:           tip.Tip{ID: id, OfferID: offer.ID, Category: "oil", Status: tip.StatusNew, ReceivedAt: time.Now()},
		ReceiptLookup: "lookup-" + id,
		WrappedKeys:   map[string][]byte{"receipt": []byte("wrapped-r"), "recovery": []byte("wrapped-k")},
		Content:       []byte("sealed content of " + id),
		StagedBlobs:   staged,
	}
}

func TestOffersRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		o := newOffer(t, s)
		got, err := s.DefaultOffer(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != o.ID || got.MaxRewardUSD != 5_000_000 || len(got.Categories) != 9 || got.Title["en"] != o.Title["en"] {
			t.Fatalf("got %+v", got)
		}
		if _, err := s.Offer(context.Background(), "nope"); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatalf("want not found, got %v", err)
		}
	})
}

func TestCommittedTipHasItsKeysContentAndFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		file := bytes.Repeat([]byte{0xA5}, store.ChunkSize*2+123) // three chunks
		blobID := stage(t, s, file)
		n := newTip(o, blobID)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		got, err := s.TipByReceipt(ctx, n.ReceiptLookup)
		if err != nil || got.ID != n.Tip.ID || got.Status != tip.StatusNew {
			t.Fatalf("TipByReceipt: %+v, %v", got, err)
		}
		if got.ReceivedAt.Minute() != 0 || got.ReceivedAt.Second() != 0 {
			t.Fatalf("received time %v is not rounded to the hour", got.ReceivedAt)
		}
		content, err := s.TipContent(ctx, n.Tip.ID)
		if err != nil || !bytes.Equal(content, n.Content) {
			t.Fatalf("content %q, %v", content, err)
		}
		b, err := s.OpenBlob(ctx, n.Tip.ID, blobID)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := io.ReadAll(b.Reader())
		if !bytes.Equal(all, file) {
			t.Fatal("file came back different")
		}
		part := make([]byte, 10)
		if _, err := b.ReadAt(part, store.ChunkSize-5); err != nil || !bytes.Equal(part, file[:10]) {
			t.Fatalf("ReadAt across a chunk boundary: %v", err)
		}
		if _, err := s.OpenBlob(ctx, "another-tip", blobID); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatal("a blob must not open under another tip's id")
		}
	})
}

func TestCommitIsAllOrNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		good := newTip(o, stage(t, s, []byte("file")))
		bad := newTip(o, "swept-or-never-staged")
		if err := s.CommitTips(ctx, []*store.NewTip{good, bad}); err == nil {
			t.Fatal("a tip whose file is missing must not commit")
		}
		if n := storetest.TipCount(t, s); n != 0 {
			t.Fatalf("%d tips visible after a failed commit", n)
		}
		if _, err := s.TipByReceipt(ctx, good.ReceiptLookup); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatal("half a batch was committed")
		}
	})
}

func TestSweepDeletesOnlyUnadoptedStagingBlobs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		adopted := stage(t, s, []byte("kept"))
		orphan := stage(t, s, []byte("abandoned upload"))
		n := newTip(o, adopted)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		swept, err := s.SweepStaged(ctx, time.Now().Add(time.Minute))
		if err != nil || swept != 1 {
			t.Fatalf("swept %d, %v; want 1", swept, err)
		}
		if _, err := s.OpenStagedBlob(ctx, orphan); err == nil {
			t.Fatal("orphan survived the sweep")
		}
		if _, err := s.OpenBlob(ctx, n.Tip.ID, adopted); err != nil {
			t.Fatalf("adopted blob was swept: %v", err)
		}
	})
}

func TestEndingReceiptAccessIsFinal(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		n := newTip(o)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSourceSession(ctx, "sess", n.Tip.ID, []byte("w"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.EndReceiptAccess(ctx, n.Tip.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TipByReceipt(ctx, n.ReceiptLookup); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatal("receipt still finds the tip")
		}
		if _, err := s.WrappedKey(ctx, n.Tip.ID, "receipt"); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatal("receipt's wrapped key survived")
		}
		if _, _, err := s.SourceSession(ctx, "sess"); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatal("session survived")
		}
		if _, err := s.WrappedKey(ctx, n.Tip.ID, "recovery"); err != nil {
			t.Fatal("the desk's access must survive the source ending theirs")
		}
	})
}

func TestMessagesAreNumberedInOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		n := newTip(o)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		for i, author := range []tip.Author{tip.AuthorDesk, tip.AuthorSource, tip.AuthorDesk} {
			m := &tip.Message{ID: tip.NewID(), TipID: n.Tip.ID, Author: author, CreatedAt: time.Now()}
			var staged []string
			if i == 1 {
				staged = []string{stage(t, s, []byte("attachment"))}
			}
			if err := s.AddMessage(ctx, m, []byte("sealed body"), staged); err != nil {
				t.Fatal(err)
			}
		}
		msgs, err := s.Messages(ctx, n.Tip.ID)
		if err != nil || len(msgs) != 3 {
			t.Fatalf("%d messages, %v", len(msgs), err)
		}
		for i, m := range msgs {
			if m.Seq != i+1 {
				t.Fatalf("message %d has seq %d", i, m.Seq)
			}
		}
		if msgs[1].Author != tip.AuthorSource {
			t.Fatal("authors out of order")
		}
	})
}

// A report's sealed content larger than one chunk is stored and read back
// whole.
func TestLargeTipContentSpansChunks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		o := newOffer(t, s)
		n := newTip(o)
		n.Content = bytes.Repeat([]byte("sealed "), store.ChunkSize/3) // ~2.3 chunks
		if err := s.CommitTips(context.Background(), []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		got, err := s.TipContent(context.Background(), n.Tip.ID)
		if err != nil || !bytes.Equal(got, n.Content) {
			t.Fatalf("content of %d bytes came back as %d bytes, %v", len(n.Content), len(got), err)
		}
	})
}
