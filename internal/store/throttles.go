package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// Throttles keep their state in the database, so that several app servers on
// one database slow an attacker as one server would, and a CLI command in
// another process sees the same state. A throttle names its rows and encodes
// their state itself; the store only reads and updates them atomically.

// Throttles returns the state stored under each of names that has any.
func (s *Store) Throttles(ctx context.Context, names ...string) (map[string]string, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT name, state FROM throttles WHERE name IN (`+placeholders(len(names))+`)`), anys(names)...)
	if err != nil {
		return nil, fmt.Errorf("failed to read the throttles: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, state string
		if err := rows.Scan(&name, &state); err != nil {
			return nil, fmt.Errorf("failed to read the throttles: %w", err)
		}
		out[name] = state
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read the throttles: %w", err)
	}
	return out, nil
}

// UpdateThrottles runs change on the states stored under names ("" for a
// name with none) and stores what it returns, as one transaction that every
// other update of those names, on any server, waits for. A name change leaves
// out of its result keeps its state, an empty state deletes the row, and the
// rows it changes may be deleted after expires (the zero time: never).
func (s *Store) UpdateThrottles(ctx context.Context, names []string, change func(states map[string]string) (changed map[string]string, expires time.Time, err error)) error {
	ctx = WithoutAudit(ctx)
	names = slices.Clone(names)
	slices.Sort(names) // rows are locked in one order everywhere: no deadlock
	names = slices.Compact(names)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, n := range names {
			if _, err := s.exec(ctx, tx, `INSERT INTO throttles (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, n); err != nil {
				return err
			}
		}
		q := `SELECT name, state FROM throttles WHERE name IN (` + placeholders(len(names)) + `) ORDER BY name`
		if s.postgres {
			q += ` FOR UPDATE` // on SQLite the transaction holds the one write lock already
		}
		rows, err := tx.QueryContext(ctx, s.rebind(q), anys(names)...)
		if err != nil {
			return err
		}
		states := map[string]string{}
		for rows.Next() {
			var name, state string
			if err := rows.Scan(&name, &state); err != nil {
				rows.Close()
				return err
			}
			states[name] = state
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		changed, expires, err := change(states)
		if err != nil {
			return err
		}
		var expiresAt int64
		if !expires.IsZero() {
			expiresAt = expires.Unix() + 1
		}
		for _, n := range names {
			st, ok := changed[n]
			switch {
			case !ok && states[n] != "":
				continue
			case !ok || st == "":
				_, err = s.exec(ctx, tx, `DELETE FROM throttles WHERE name = ?`, n)
			default:
				_, err = s.exec(ctx, tx, `UPDATE throttles SET state = ?, expires_at = ? WHERE name = ?`, st, expiresAt, n)
			}
			if err != nil {
				return err
			}
		}
		return s.sweepThrottles(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("failed to update the throttles: %w", err)
	}
	return nil
}

// ForgetThrottle deletes the state stored under name.
func (s *Store) ForgetThrottle(ctx context.Context, name string) error {
	if _, err := s.writeExec(WithoutAudit(ctx), `DELETE FROM throttles WHERE name = ?`, name); err != nil {
		return fmt.Errorf("failed to update the throttles: %w", err)
	}
	return nil
}

// lastThrottleSweep is when this process last deleted lapsed throttle rows.
var lastThrottleSweep atomic.Int64

// sweepThrottles deletes rows whose state has lapsed, at most once a minute
// per process: names typed at the login form and never seen again.
func (s *Store) sweepThrottles(ctx context.Context, tx *sql.Tx) error {
	now := time.Now().Unix()
	last := lastThrottleSweep.Load()
	if now-last < 60 || !lastThrottleSweep.CompareAndSwap(last, now) {
		return nil
	}
	_, err := s.exec(ctx, tx, `DELETE FROM throttles WHERE expires_at > 0 AND expires_at < ?`, now)
	return err
}

// errNoThrottle means a throttle's row is missing: the database was not
// migrated by this binary.
var errNoThrottle = errors.New("no such throttle")

// TakeTurn books the next turn of the throttle name: the first free slot at
// or after earliest, turns being interval apart across every server. It
// returns the slot; the caller waits until then. One statement, so a turn
// costs one round trip.
func (s *Store) TakeTurn(ctx context.Context, name string, earliest time.Time, interval time.Duration) (time.Time, error) {
	ctx = WithoutAudit(ctx)
	e, step := earliest.UnixMicro(), interval.Microseconds()
	var next int64
	err := s.write.QueryRowContext(ctx, s.rebind(`UPDATE throttles SET next_at = (CASE WHEN next_at > ? THEN next_at ELSE ? END) + ? WHERE name = ? RETURNING next_at`),
		e, e, step, name).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("failed to take a turn of %q: %w", name, errNoThrottle)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("failed to take a turn of %q: %w", name, err)
	}
	return time.UnixMicro(next - step), nil
}

// GiveBackTurn returns the turn at slot, taken with TakeTurn, when it is
// still the last one booked: a request that ends before its turn then costs
// the next one nothing.
func (s *Store) GiveBackTurn(ctx context.Context, name string, slot time.Time, interval time.Duration) error {
	ctx = WithoutAudit(ctx)
	at := slot.UnixMicro()
	_, err := s.exec(ctx, s.write, `UPDATE throttles SET next_at = ? WHERE name = ? AND next_at = ?`, at, name, at+interval.Microseconds())
	if err != nil {
		return fmt.Errorf("failed to give back a turn of %q: %w", name, err)
	}
	return nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
