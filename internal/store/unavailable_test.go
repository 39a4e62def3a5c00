package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An error that says the database could not be reached answers 503; one in
// which the database answered, refusing the statement, stays what it was.
func TestClassifyTellsAnOutageFromARefusal(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, http.StatusServiceUnavailable},
		{"server starting up", fmt.Errorf("failed to commit: %w", &pgconn.PgError{Code: "57P03"}), http.StatusServiceUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, http.StatusServiceUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, http.StatusServiceUnavailable},
		{"unique violation", &pgconn.PgError{Code: "23505"}, http.StatusInternalServerError},
		{"no rows", sql.ErrNoRows, http.StatusInternalServerError},
		{"connection reset", fmt.Errorf("failed to receive message: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), http.StatusServiceUnavailable},
		{"a commit given up on", fmt.Errorf("failed to commit: %w", context.DeadlineExceeded), http.StatusServiceUnavailable},
		{"a missing file", &os.PathError{Op: "open", Path: "blobs/x", Err: syscall.ENOENT}, http.StatusInternalServerError},
		{"a permission refused", &os.PathError{Op: "open", Path: "blobs/x", Err: syscall.EACCES}, http.StatusInternalServerError},
		{"an application error", tip.Errorf(tip.CodeNotFound, "no such tip"), http.StatusNotFound},
		{"nil", nil, http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := store.Classify(tc.err)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("Classify(nil) = %v", err)
				}
				return
			}
			if got := tip.HTTPStatus(err); got != tc.want {
				t.Fatalf("HTTPStatus(Classify(%v)) = %d, want %d", tc.err, got, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("Classify lost the cause %v", tc.err)
			}
		})
	}
}

// A PostgreSQL server that cannot be connected to — none listening, or one
// that accepts and never answers — is an outage told within seconds, not a
// request that hangs until the operating system gives up.
func TestConnectingToAnAbsentDatabaseEndsWithinSeconds(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	for name, addr := range map[string]string{"nothing listening": closed.Addr().String(), "never answering": silent.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := store.OpenUnmigrated(t.TempDir(), "postgres://tipline@"+addr+"/tipline?sslmode=disable")
			if took := time.Since(start); took > 8*time.Second {
				t.Errorf("took %v", took)
			}
			if got := tip.HTTPStatus(store.Classify(err)); got != http.StatusServiceUnavailable {
				t.Fatalf("%v: status %d, want 503", err, got)
			}
		})
	}
}

// An upload whose commit failed because the database did not answer has its
// staged blobs deleted once the database answers again — at the next sweep,
// not twelve hours later with abandoned uploads.
func TestStagedBlobsOfAFailedUploadGoAtTheNextSweep(t *testing.T) {
	pg := storetest.Postgres(t)
	ctx := context.Background()
	direct, err := store.Open(ctx, pg.DataDir, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	proxy := storetest.StartProxy(t, pg.DSN)
	s, err := store.Open(ctx, pg.DataDir, proxy.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.NewStagedBlob(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("sealed bytes of a file"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	staged := func() int {
		_, err := direct.OpenStagedBlob(ctx, w.ID())
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return 0
		case err != nil:
			t.Fatal(err)
		}
		return 1
	}
	if staged() != 1 {
		t.Fatal("the staged blob is not stored")
	}

	proxy.Cut()
	if err := s.DeleteStaged(ctx, w.ID()); !errors.Is(store.Classify(err), store.ErrUnavailable) {
		t.Fatalf("deleting while the database is cut off: %v", err)
	}
	proxy.Restore()
	if _, err := s.SweepStaged(ctx, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if staged() != 0 {
		t.Fatal("the staged blob of a failed upload is still stored after the sweep")
	}
}
