package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"tipline/internal/disk"
	"tipline/internal/tip"
)

// A write SQLite refuses for want of room (SQLITE_FULL, here through
// max_page_count, as a full disk refuses it) fails with disk.ErrFull — a
// 507, not a 500 — keeps nothing, and the same write succeeds once there is
// room again.
func TestSQLiteFullIsDiskFull(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var pages int64
	if err := s.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	write := func() error {
		return s.inTx(ctx, func(tx *sql.Tx) error {
			_, err := s.insertBlob(ctx, tx, "", make([]byte, 2*ChunkSize))
			return err
		})
	}
	err = write()
	if !errors.Is(err, disk.ErrFull) || tip.HTTPStatus(err) != 507 {
		t.Fatalf("a write past max_page_count: %v (status %d), want disk.ErrFull (507)", err, tip.HTTPStatus(err))
	}
	var blobs int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs`).Scan(&blobs); err != nil || blobs != 0 {
		t.Fatalf("%d blobs kept from a refused write (%v)", blobs, err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := write(); err != nil {
		t.Fatalf("the write once there is room: %v", err)
	}
}

// Every way a database or the system says the disk is full is
// disk.ErrFull, the original error kept; any other error is left as it is.
func TestNoRoom(t *testing.T) {
	for _, c := range []struct {
		err  error
		full bool
	}{
		{fmt.Errorf("failed to store blob: %w", &os.PathError{Op: "write", Path: "blobs/x", Err: syscall.ENOSPC}), true},
		{&pgconn.PgError{Code: "53100", Message: "could not extend file"}, true},
		{&pgconn.PgError{Code: "23505", Message: "duplicate key"}, false},
		{&os.PathError{Op: "write", Path: "blobs/x", Err: syscall.EIO}, false},
		{tip.Errorf(tip.CodeConflict, "x"), false},
	} {
		err := noRoom(c.err)
		if got := errors.Is(err, disk.ErrFull); got != c.full {
			t.Errorf("noRoom(%v) is ErrFull: %v, want %v", c.err, got, c.full)
		}
		if c.full && tip.HTTPStatus(Classify(err)) != 507 {
			t.Errorf("Classify(noRoom(%v)) answers %d, want 507: a full disk is no outage", c.err, tip.HTTPStatus(Classify(err)))
		}
		if !errors.Is(err, c.err) {
			t.Errorf("noRoom(%v) lost the original error", c.err)
		}
	}
	if noRoom(nil) != nil {
		t.Error("noRoom(nil) is not nil")
	}
}
