package store_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// blobFile returns the path an SQLite installation keeps a blob's file at,
// and whether it exists.
func blobFile(t *testing.T, b storetest.Backend, id string) (string, bool) {
	t.Helper()
	path := filepath.Join(b.DataDir, store.BlobDir, id)
	_, err := os.Stat(path)
	return path, err == nil
}

// On SQLite an upload is a file in the data folder, on PostgreSQL chunk rows;
// either way it reads back whole, sequentially and at random, and a file is
// deleted with its row: discarded, swept, or shredded with its tip.
func TestStagedBlobsLiveAndDieWithTheirRows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		file := bytes.Repeat([]byte("sealed bytes "), store.ChunkSize/4) // 3¼ chunks: direct writes, then a short tail
		kept, discarded := stage(t, s, file), stage(t, s, []byte("refused"))
		if _, ok := blobFile(t, b, kept); ok != (b.DSN == "") {
			t.Fatalf("blob file exists: %v; want it on SQLite only", ok)
		}
		if err := s.DeleteStaged(ctx, discarded); err != nil {
			t.Fatal(err)
		}
		if _, ok := blobFile(t, b, discarded); ok {
			t.Fatal("a discarded upload's file is still there")
		}
		n := newTip(o, kept)
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteStaged(ctx, kept); err != nil {
			t.Fatal(err)
		}
		blob, err := s.OpenBlob(ctx, n.Tip.ID, kept)
		if err != nil {
			t.Fatalf("deleting an adopted blob as staged must leave it: %v", err)
		}
		defer blob.Close()
		if all, err := io.ReadAll(blob.Reader()); err != nil || !bytes.Equal(all, file) {
			t.Fatalf("file came back different: %d bytes, %v", len(all), err)
		}
		tail := make([]byte, 20)
		if k, err := blob.ReadAt(tail, int64(len(file)-10)); k != 10 || err != io.EOF || !bytes.Equal(tail[:10], file[len(file)-10:]) {
			t.Fatalf("ReadAt past the end: %d, %v", k, err)
		}
		if err := s.ShredTip(ctx, n.Tip.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := blobFile(t, b, kept); ok {
			t.Fatal("a shredded tip's file is still there")
		}
		if got, _ := s.StoredBytes(ctx); got != 0 {
			t.Fatalf("%d bytes stored after the shred", got)
		}
	})
}

// A writer discarded mid-upload (the body broke off) leaves nothing stored.
func TestDiscardedBlobLeavesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		w, err := s.NewStagedBlob(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, store.ChunkSize*2+5)); err != nil {
			t.Fatal(err)
		}
		w.Discard()
		if _, err := s.OpenStagedBlob(ctx, w.ID()); err == nil {
			t.Fatal("a discarded blob still opens")
		}
		if _, ok := blobFile(t, b, w.ID()); ok {
			t.Fatal("a discarded blob's file is still there")
		}
	})
}

// A blob file no row knows — a crash between deleting a row and its file —
// is swept once it is older than the cutoff; nothing else in the folder is.
func TestSweepDeletesOrphanBlobFiles(t *testing.T) {
	b := storetest.Backends(t)[0] // SQLite: the only one with blob files
	ctx := context.Background()
	s, err := store.Open(ctx, b.DataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	live := stage(t, s, []byte("an upload in progress"))
	orphan, _ := blobFile(t, b, "orphanorphanorphanorphan22")
	other := filepath.Join(b.DataDir, store.BlobDir, "README")
	for _, p := range []string{orphan, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.SweepStaged(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("swept %d, %v: a recent orphan must be left alone", n, err)
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{orphan, other} {
		os.Chtimes(p, old, old)
	}
	if n, err := s.SweepStaged(ctx, time.Now().Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("swept %d, %v; want the orphan", n, err)
	}
	if _, err := os.Stat(orphan); err == nil {
		t.Fatal("the orphan file survived the sweep")
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatal("the sweep deleted a file that is not a blob")
	}
	if _, ok := blobFile(t, b, live); !ok {
		t.Fatal("the sweep deleted a staged upload younger than the cutoff")
	}
}
