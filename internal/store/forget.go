package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Deleting a row takes a secret out of the tables, not off the disk. On
// SQLite, secure_delete (set on every connection, see openSQLite) zeroes
// what a deletion frees in the pages it writes — but those pages go to the
// WAL, and tipline.db keeps the old page until a checkpoint copies the new
// one over it; the WAL itself keeps every earlier image of the page, secret
// included, until it is truncated or written over. So a deletion of secret
// material — a wrapped key, a receipt's lookup id, a session's wrapped key,
// a pending security-key login, a password's wrapped key — commits with
// forgetTx or forgetExec, which then scrub: a PASSIVE checkpoint, then a
// TRUNCATE checkpoint.
//
// The PASSIVE checkpoint does the copying, on a connection of its own: it
// waits for no reader and no writer, and copies what no reader still needs.
// The TRUNCATE checkpoint empties the WAL file; it must hold off writers and
// wait for readers to leave the WAL, so it is only tried, with a busy
// timeout of a few milliseconds (scrubBusyTimeout): no writer and no long
// reader, such as a backup, ever waits on it for longer. When it cannot run,
// the scrub stays due, and the next deletion or sweep of secret material
// tries again (the source site sweeps its sessions every ten minutes, the
// desk its own every hour: see SweepSourceSessions, SweepDeskSessions).
//
// What a file system does with the blocks a truncated WAL frees is beyond
// the store: a journalling or copy-on-write file system, an SSD's wear
// levelling and disk snapshots may keep old copies. Put the data folder on
// an encrypted volume.
//
// PostgreSQL has no such scrub: a deleted row stays in its table's file
// until VACUUM marks its space free and later rows reuse it (VACUUM does
// not overwrite it), and in the WAL segments — and any WAL archive or base
// backup — for as long as they are kept. There, deleting a wrapped key ends
// access through the database, and the disk promise rests on the volume's
// encryption and on how long WAL and backups are kept.
type scrubber struct {
	db *sql.DB // nil on PostgreSQL

	mu        sync.Mutex    // one scrub at a time
	requested atomic.Uint64 // deletions committed so far, counted
	scrubbed  uint64        // requested as read when the last full scrub began; under mu
}

// scrubBusyTimeout bounds how long the TRUNCATE checkpoint waits for the
// writer's lock and for readers to leave the WAL.
const scrubBusyTimeout = "busy_timeout(10)"

// forgetTx runs fn in one write transaction, like inTx, and once it has
// committed scrubs the database files of what it deleted.
func (s *Store) forgetTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.inTx(ctx, fn); err != nil {
		return err
	}
	return s.scrub(ctx)
}

// forgetExec is writeExec for a statement that deletes or replaces secret
// material: its result, then a scrub.
func (s *Store) forgetExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := s.writeExec(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return res, s.scrub(ctx)
}

// scrub takes what the deletions committed so far freed off the disk: out
// of tipline.db, and out of its WAL when the TRUNCATE checkpoint can run
// (else it stays due, see scrubber). Scrubs asked for while one runs are
// done by one more, not one each. The deletion has committed when scrub is
// called, so the request's cancellation does not stop it.
func (s *Store) scrub(ctx context.Context) error {
	sc := &s.scrubs
	if sc.db == nil {
		return nil
	}
	want := sc.requested.Add(1)
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.scrubbed >= want {
		return nil // a scrub that began after this deletion has finished
	}
	return sc.run(context.WithoutCancel(ctx))
}

// run checkpoints; under mu.
func (sc *scrubber) run(ctx context.Context) error {
	covers := sc.requested.Load()
	if _, err := sc.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		if isBusy(err) {
			return nil // another checkpoint is running: still due
		}
		return fmt.Errorf("failed to overwrite deleted secrets in the database file: %w", err)
	}
	var busy, walFrames, checkpointed int
	err := sc.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &walFrames, &checkpointed)
	if err != nil && !isBusy(err) {
		return fmt.Errorf("failed to truncate the database's WAL after deleting secrets: %w", err)
	}
	if err == nil && busy == 0 {
		sc.scrubbed = covers
	}
	return nil // busy: still due, retried by the next scrub
}

// isBusy reports whether SQLite answered SQLITE_BUSY (or one of its
// extended codes).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
