package store

import (
	"context"
	"database/sql"
	"fmt"
)

// lockWraps orders, on PostgreSQL, the commits of new reports against the
// changes to who their keys may be wrapped to. A commit reads, inside its
// transaction, the recovery recipient in force and the offers' recipients,
// and stores copies for them: it takes this lock shared, before it reads. A
// change — a rotation of the recovery key starting or ending, a user's
// keys revoked, a user disabled or removed — takes it exclusive before its
// first statement: it waits for the commits that read the old state, and
// its statements see their copies (PostgreSQL's READ COMMITTED reads what is
// committed when each statement starts), while later commits wait and read
// the new state. Without it, a commit that had read a user as a recipient
// stored their copy after a removal had deleted the others. On SQLite every
// write transaction holds the database's one write lock anyway.
func (s *Store) lockWraps(ctx context.Context, tx *sql.Tx, exclusive bool) error {
	if !s.postgres {
		return nil
	}
	fn := "pg_advisory_xact_lock_shared"
	if exclusive {
		fn = "pg_advisory_xact_lock"
	}
	if _, err := tx.ExecContext(ctx, `SELECT `+fn+`('tip_keys'::regclass::oid::bigint)`); err != nil {
		return fmt.Errorf("failed to lock who new reports are wrapped to: %w", err)
	}
	return nil
}
