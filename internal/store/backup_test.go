package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// dump is a backup held in memory: each table's rows as JSON lines, and the
// blob files.
type dump struct {
	schema string
	tables []store.Table
	rows   map[string][][]byte
	files  map[string][]byte
	gone   []string // tips whose blob files were shredded meanwhile
}

func takeDump(t *testing.T, s *store.Store) dump {
	t.Helper()
	ctx := context.Background()
	sn, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	d := dump{rows: map[string][][]byte{}, files: map[string][]byte{}}
	if d.schema, err = sn.Schema(ctx); err != nil {
		t.Fatal(err)
	}
	if d.tables, err = sn.Tables(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tb := range d.tables {
		err := sn.Rows(ctx, tb, func(row []any) error {
			line, err := json.Marshal(row)
			d.rows[tb.Name] = append(d.rows[tb.Name], line)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(d.rows[tb.Name])) != tb.Rows {
			t.Fatalf("table %s: %d rows read, %d counted", tb.Name, len(d.rows[tb.Name]), tb.Rows)
		}
	}
	err = sn.BlobFiles(ctx, func(b store.BlobFile) error {
		var buf bytes.Buffer
		err := b.CopyTo(&buf)
		d.files[b.ID] = buf.Bytes()
		return err
	}, func(b store.BlobFile) error {
		d.gone = append(d.gone, b.TipID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func restoreDump(t *testing.T, d dump, s *store.Store) error {
	t.Helper()
	rs, err := s.BeginRestore(context.Background(), d.schema, d.tables)
	if err != nil {
		return err
	}
	for _, tb := range d.tables {
		for _, line := range d.rows[tb.Name] {
			if err := rs.Row(tb.Name, line); err != nil {
				rs.Rollback()
				return err
			}
		}
	}
	for id, content := range d.files {
		if err := rs.BlobFile(id, bytes.NewReader(content)); err != nil {
			rs.Rollback()
			return err
		}
	}
	if err := rs.Shred(d.gone...); err != nil {
		rs.Rollback()
		return err
	}
	if err := rs.Commit(); err != nil {
		rs.Rollback()
		return err
	}
	return nil
}

// fill gives a store tips with files (one over several chunks), bytes of
// every value, NULLs, text in four scripts and an audit chain.
func fill(t *testing.T, s *store.Store) [][2]string {
	t.Helper()
	ctx := context.Background()
	o := newOffer(t, s)
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	var blobs [][2]string // tip, blob
	for i, size := range []int{0, 10, store.ChunkSize*2 + 77} {
		file := bytes.Repeat(every, size/256+1)[:size]
		id := stage(t, s, file)
		n := newTip(o, id)
		n.WrappedKeys["user:x"] = every
		n.Tokens = []string{"imo:9" + strings.Repeat("1", i+5)}
		if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, [2]string{n.Tip.ID, id})
	}
	scripts := tip.Offer{ID: "offer-in-four-scripts", Title: map[string]string{"en": "제재 · 制裁 · санкции · sanctions <&>"}, Description: map[string]string{},
		MaxRewardUSD: 1, Categories: tip.DPRKCategories, CreatedAt: time.Now()}
	if err := s.CreateOffer(ctx, scripts); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, err := s.AppendAudit(ctx, func(seq int64, prev string) (store.AuditEntry, error) {
			return store.AuditEntry{Seq: seq, At: time.Now().Unix(), Actor: "cli", Action: "test", Detail: strings.Repeat("x", i), PrevHash: prev, Hash: tip.NewID(), MAC: "m"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return blobs
}

// A dump restores into an empty database of either kind, whichever it came
// from: every row of every table as it was, every blob byte for byte (blob
// files become chunk rows on PostgreSQL).
func TestBackupRestoresAcrossDatabases(t *testing.T) {
	ctx := context.Background()
	for _, from := range storetest.Backends(t) {
		src, err := store.Open(ctx, from.DataDir, from.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		blobs := fill(t, src)
		d := takeDump(t, src)
		for _, to := range storetest.Backends(t) {
			t.Run(from.Name+"_to_"+to.Name, func(t *testing.T) {
				to.DataDir = t.TempDir()
				dst, err := store.OpenUnmigrated(to.DataDir, to.DSN)
				if err != nil {
					t.Fatal(err)
				}
				defer dst.Close()
				if err := restoreDump(t, d, dst); err != nil {
					t.Fatal(err)
				}
				back := takeDump(t, dst)
				for _, tb := range d.tables {
					if tb.Name == "blobs" || tb.Name == "blob_chunks" {
						continue // compared by content below
					}
					if !equalLines(d.rows[tb.Name], back.rows[tb.Name]) {
						t.Fatalf("table %s differs after the restore:\n%s\n---\n%s", tb.Name, d.rows[tb.Name], back.rows[tb.Name])
					}
				}
				for _, b := range blobs {
					want, got := readBlob(t, src, b[0], b[1]), readBlob(t, dst, b[0], b[1])
					if !bytes.Equal(want, got) {
						t.Fatalf("blob %s: %d bytes restored, %d backed up", b[1], len(got), len(want))
					}
				}
				if o, err := dst.Offer(ctx, "offer-in-four-scripts"); err != nil || o.Title["en"] != "제재 · 制裁 · санкции · sanctions <&>" {
					t.Fatalf("offer restored as %+v (%v)", o, err)
				}
			})
		}
	}
}

func readBlob(t *testing.T, s *store.Store, tipID, id string) []byte {
	t.Helper()
	b, err := s.OpenBlob(context.Background(), tipID, id)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	all, err := io.ReadAll(b.Reader())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func equalLines(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// A snapshot sees the database as it was when it began: a tip committed
// meanwhile is not in it, and the commit does not wait for the snapshot.
// A tip shredded meanwhile is still in it; its blob files, unlinked by the
// shred, are reported gone rather than failing the backup; and a restore
// shreds it again.
func TestSnapshotIsConsistentAndDoesNotHoldWritersBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		blobs := fill(t, s)
		sn, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer sn.Close()
		o, _ := s.DefaultOffer(ctx)
		start := time.Now()
		if err := s.CommitTips(ctx, []*store.NewTip{newTip(o)}); err != nil {
			t.Fatal(err)
		}
		if err := s.ShredTip(ctx, blobs[2][0]); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited > 2*time.Second {
			t.Fatalf("writes waited %v for the snapshot", waited)
		}
		tables, err := sn.Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			if tb.Name == "tips" && tb.Rows != 3 {
				t.Fatalf("the snapshot has %d tips, it began with 3", tb.Rows)
			}
		}
		var copied, gone []string
		err = sn.BlobFiles(ctx, func(f store.BlobFile) error {
			copied = append(copied, f.ID)
			return f.CopyTo(io.Discard)
		}, func(f store.BlobFile) error {
			gone = append(gone, f.TipID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.DSN == "" && (len(copied) != 2 || len(gone) != 1 || gone[0] != blobs[2][0]) {
			t.Fatalf("blob files copied %v, gone %v; want 2 and the shredded tip's", copied, gone)
		}
	})
}

// A blob file missing while the database still holds it is damage: the
// backup fails rather than leave a report without its file.
func TestBackupFailsOnAMissingBlobFile(t *testing.T) {
	ctx := context.Background()
	b := storetest.Backends(t)[0]
	s, err := store.Open(ctx, b.DataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	blobs := fill(t, s)
	if err := os.Remove(filepath.Join(b.DataDir, store.BlobDir, blobs[1][1])); err != nil {
		t.Fatal(err)
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	err = sn.BlobFiles(ctx, func(f store.BlobFile) error { return f.CopyTo(io.Discard) }, func(store.BlobFile) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a missing blob file: %v", err)
	}
}

// A restore refuses a database that has tables, and a schema this binary
// does not know; a restore that fails leaves the database empty.
func TestRestoreRefusesAndLeavesNothing(t *testing.T) {
	ctx := context.Background()
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		fill(t, s)
		d := takeDump(t, s)
		if err := restoreDump(t, d, s); !errors.Is(err, store.ErrNotEmpty) {
			t.Fatalf("restore into a database in use: %v", err)
		}
		for _, to := range storetest.Backends(t) {
			if to.Name != b.Name {
				continue
			}
			dst, err := store.OpenUnmigrated(t.TempDir(), to.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			newer := d
			newer.schema = "999_from_a_newer_binary"
			var schemaErr *store.SchemaNewerError
			if err := restoreDump(t, newer, dst); !errors.As(err, &schemaErr) {
				t.Fatalf("restore of a newer schema: %v", err)
			}
			short := d
			short.rows = map[string][][]byte{}
			for k, v := range d.rows {
				short.rows[k] = v
			}
			short.rows["tip_keys"] = short.rows["tip_keys"][1:]
			if err := restoreDump(t, short, dst); err == nil || !strings.Contains(err.Error(), "the backup says") {
				t.Fatalf("restore with a row missing: %v", err)
			}
			if status, err := dst.SchemaStatus(ctx); err != nil || len(status.Applied) != 0 {
				t.Fatalf("a failed restore left a schema: %+v, %v", status, err)
			}
			if err := restoreDump(t, d, dst); err != nil {
				t.Fatalf("the whole dump, after the failures: %v", err)
			}
		}
	})
}
