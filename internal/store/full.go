package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tipline/internal/disk"
)

// pgDiskFull is PostgreSQL's SQLSTATE for a full disk (disk_full).
const pgDiskFull = "53100"

// noRoom marks an error that says the disk is full — SQLite's SQLITE_FULL,
// PostgreSQL's disk_full, the system's ENOSPC or EDQUOT — as disk.ErrFull,
// keeping the original, so that the source is told the disk is full (507)
// rather than that something failed (500). Any other error is returned as
// it is.
func noRoom(err error) error {
	if err == nil || errors.Is(err, disk.ErrFull) || !diskIsFull(err) {
		return err
	}
	return fmt.Errorf("%w: %w", disk.ErrFull, err)
}

func diskIsFull(err error) bool {
	if disk.IsFull(err) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgDiskFull
}
