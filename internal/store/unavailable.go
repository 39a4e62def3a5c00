package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tipline/internal/disk"
	"tipline/internal/tip"
)

// ErrUnavailable is what a request meets while the database cannot be
// reached: PostgreSQL stopped, restarting or cut off, or SQLite's file system
// failing. It is a passing state — the pool connects again by itself once the
// database is back — so it answers 503, not 500. errors.Is finds it in what
// Classify returns.
var ErrUnavailable = tip.Errorf(tip.CodeUnavailable, "the database does not answer")

// Classify returns err as the application error it is: one that says the
// database could not be reached comes back wrapped so that it carries
// ErrUnavailable (and its code) with the driver's error as its cause; any
// other error is returned as it is. The source site and the desk pass every
// error through it before tip.HTTPStatus maps it.
func Classify(err error) error {
	// A full disk is no outage, even when the write that met it was on its
	// way to the database: it has its own answer, disk.ErrFull's.
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, disk.ErrFull) || !unreachable(err) {
		return err
	}
	return unavailableError{cause: err}
}

type unavailableError struct{ cause error }

func (e unavailableError) Error() string { return "the database does not answer: " + e.cause.Error() }

func (e unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.cause} }

// unreachable reports whether err says the database did not answer, as
// opposed to answering with a refusal (a constraint, a bad query).
func unreachable(err error) bool {
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return postgresUnavailable(pg.Code)
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return sqliteUnavailable(lite.Code())
	}
	// Not sent at all (pgx's "conn closed"), or a connection that broke.
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	for _, cause := range []error{driver.ErrBadConn, sql.ErrConnDone, io.ErrUnexpectedEOF, net.ErrClosed,
		context.DeadlineExceeded, syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, syscall.EIO, syscall.EROFS} {
		if errors.Is(err, cause) {
			return true
		}
	}
	// A network operation that failed, and only that: every syscall.Errno
	// (a missing file, a full disk) would pass for a net.Error.
	var op *net.OpError
	return errors.As(err, &op)
}

// postgresUnavailable reports whether a PostgreSQL error code says the server
// is stopping, starting, out of connections or lost the connection (classes
// 08 and 57P, and 53300), rather than refusing the statement.
func postgresUnavailable(code string) bool {
	switch {
	case len(code) == 5 && code[:2] == "08":
		return true
	case len(code) == 5 && code[:3] == "57P":
		return true
	case code == "53300": // too_many_connections
		return true
	}
	return false
}

// sqliteUnavailable reports whether a SQLite result code (extended codes
// carry the primary one in their low byte) says its files could not be
// read, written or locked.
func sqliteUnavailable(code int) bool {
	switch code & 0xff {
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_PROTOCOL:
		return true
	}
	return false
}

// OutageLog logs that the database does not answer at most once every ten
// seconds: during an outage every request meets it, and one line says it.
type OutageLog struct{ last atomic.Int64 }

// Note logs err at WARN, unless it did within the last ten seconds.
func (o *OutageLog) Note(log *slog.Logger, err error) {
	now := time.Now().UnixNano()
	last := o.last.Load()
	if now-last < int64(10*time.Second) || !o.last.CompareAndSwap(last, now) {
		return
	}
	log.Warn("the database does not answer: requests get 503 until it does", "err", err)
}

// Failed logs the failure of background work (a sweep, a reload): at ERROR,
// or, when the database did not answer, as the outage it is (see Note).
func (o *OutageLog) Failed(log *slog.Logger, msg string, err error) {
	if err := Classify(err); errors.Is(err, ErrUnavailable) {
		o.Note(log, err)
		return
	}
	log.Error(msg, "err", err)
}
