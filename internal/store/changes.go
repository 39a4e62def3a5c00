package store

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several app servers, and the CLI, share one database; each server caches
// what every request reads (offers and their recipients here, the lists in
// force in the screening service). Whoever changes one of those tells every
// server to drop its caches: on PostgreSQL with NOTIFY, which reaches every
// listening server at once; on SQLite — one server, but a CLI command in
// another process may change the file — by bumping a counter that the server
// reads every second. A server that lost its PostgreSQL connection may have
// missed notifications, so it drops everything when it listens again.

// changesChannel is the NOTIFY channel; the payload is the sender's schema,
// so that installations in other schemas of the database are left alone.
const changesChannel = "tipline_changes"

// changesPoll is how often a SQLite server reads the change counter.
const changesPoll = time.Second

// cacheChanges delivers "something cached changed" to this process's
// subscribers.
type cacheChanges struct {
	mu   sync.Mutex
	subs []chan struct{}
}

// CacheChanges returns a channel that receives a value soon after anything a
// server caches changed — through this Store, or on another server or
// process once WatchChanges runs. Values do not queue: one stands for any
// number of changes since the last was received.
func (s *Store) CacheChanges() <-chan struct{} {
	ch := make(chan struct{}, 1)
	s.changes.mu.Lock()
	s.changes.subs = append(s.changes.subs, ch)
	s.changes.mu.Unlock()
	return ch
}

// cachesChanged, deferred by a method that changes what servers cache, clears
// this process's cache and, once the change has committed (*err is nil),
// every other server's: a change that failed announces nothing.
func (s *Store) cachesChanged(err *error) {
	if *err != nil {
		s.offers.forget()
		return
	}
	s.offers.clear()
}

// changed clears every server's caches after a change through this Store
// that the offer cache does not see: the lists in force.
func (s *Store) changed() { s.offers.clear() }

// dropCaches forgets this process's cached offers, their recipients and the
// recovery recipient, and tells the subscribers, without telling other
// servers.
func (s *Store) dropCaches() {
	s.offers.forget()
	s.recovery.clear()
	s.notifySubscribers()
}

func (s *Store) notifySubscribers() {
	s.changes.mu.Lock()
	defer s.changes.mu.Unlock()
	for _, ch := range s.changes.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// announceChange tells this process's subscribers and every other server
// that something cached changed: offers, their recipients, users' keys,
// lists. It has told the others before it returns, so that a CLI command
// that exits right after a change has told them. Telling them can fail only
// with the database itself; the change is committed by then, so the failure
// is not the caller's, and caches expire in the end (offerCacheTTL).
func (s *Store) announceChange() {
	s.notifySubscribers()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var err error
	if s.postgres {
		_, err = s.write.ExecContext(ctx, `SELECT pg_notify('`+changesChannel+`', current_schema())`)
	} else {
		_, err = s.write.ExecContext(ctx, `UPDATE cache_changes SET n = n + 1 WHERE name = 'all'`)
	}
	if err != nil {
		slog.Warn("other servers may keep a cached offer or list up to 30 s longer: telling them of a change failed", "err", err)
	}
}

// WatchChanges drops this process's caches whenever another server or
// process changes what they hold, until ctx ends. A server runs it for as
// long as it serves.
func (s *Store) WatchChanges(ctx context.Context, log *slog.Logger) {
	if s.postgres {
		s.listenForChanges(ctx, log)
		return
	}
	s.pollChanges(ctx, log)
}

func (s *Store) pollChanges(ctx context.Context, log *slog.Logger) {
	tick := time.NewTicker(changesPoll)
	defer tick.Stop()
	var outage OutageLog
	var last int64 = -1
	for {
		var n int64
		err := s.read.QueryRowContext(ctx, `SELECT n FROM cache_changes WHERE name = 'all'`).Scan(&n)
		switch {
		case err != nil && ctx.Err() == nil:
			outage.Failed(log, "reading the change counter failed: caches are dropped until it is read again", err)
			s.dropCaches()
		case err == nil && n != last:
			if last >= 0 {
				s.dropCaches()
			}
			last = n
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// listenForChanges holds a connection of its own that LISTENs, and opens it
// again when it is lost.
func (s *Store) listenForChanges(ctx context.Context, log *slog.Logger) {
	var outage OutageLog
	pause := time.Second
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, func() { pause = time.Second })
		if ctx.Err() != nil {
			return
		}
		outage.Failed(log, "listening for other servers' changes failed: caches are dropped and the listener starts again", err)
		s.dropCaches()
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// listenOnce listens until the connection fails; listening calls back once
// the LISTEN is in place.
func (s *Store) listenOnce(ctx context.Context, listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pgConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+changesChannel); err != nil {
		return err
	}
	listening()
	// Whatever changed while no one listened is unknown: start afresh.
	s.dropCaches()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload == schema {
			s.dropCaches()
		}
	}
}
