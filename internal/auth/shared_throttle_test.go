package auth_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/auth"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// Two app servers on one database count one account's failures together:
// after failures on one, the other slows the next attempt as the first
// would, and a success on either clears them for both. The failures over all
// accounts are counted together too.
func TestThrottleIsSharedAcrossServers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		other, err := store.Open(ctx, b.DataDir, b.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		key := []byte("the installation's secret")
		cfg := auth.ThrottleConfig{FirstDelay: 50 * time.Millisecond, GlobalFailuresPerSecond: 1000}
		a, bb := auth.NewSharedThrottle(cfg, s, key), auth.NewSharedThrottle(cfg, other, key)

		for range 5 {
			if err := a.Failed(ctx, "kim"); err != nil {
				t.Fatal(err)
			}
		}
		// After five failures attempts are 50 ms × 2⁴ = 800 ms apart.
		if d := timeWait(t, bb, "kim"); d < 600*time.Millisecond {
			t.Fatalf("the other server let an attempt after five failures wait only %v", d)
		}
		if d := timeWait(t, bb, "lee"); d > 300*time.Millisecond {
			t.Fatalf("another account waited %v", d)
		}
		if err := a.Succeeded(ctx, "kim"); err != nil {
			t.Fatal(err)
		}
		if d := timeWait(t, bb, "kim"); d > 300*time.Millisecond {
			t.Fatalf("after a success on one server, the other still slows the account: %v", d)
		}

		// The global budget: failures under many names on one server slow
		// every attempt on the other.
		cfg = auth.ThrottleConfig{GlobalFailuresPerSecond: 5, GlobalDelay: 500 * time.Millisecond}
		a, bb = auth.NewSharedThrottle(cfg, s, key), auth.NewSharedThrottle(cfg, other, key)
		for i := range 20 {
			if err := a.Failed(ctx, fmt.Sprint("name", i)); err != nil {
				t.Fatal(err)
			}
		}
		if d := timeWait(t, bb, "someone new"); d < 400*time.Millisecond {
			t.Fatalf("after 20 failures at once on one server, the other let a new name wait only %v", d)
		}
	})
}

// Names are kept as a keyed hash: a password typed into the name field is
// not in the database.
func TestThrottleStoresNoNameInTheClear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, b storetest.Backend) {
		ctx := context.Background()
		th := auth.NewSharedThrottle(auth.ThrottleConfig{}, s, []byte("secret"))
		if err := th.Failed(ctx, "correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Throttles(ctx, "login:correct horse battery staple"); err != nil || len(got) != 0 {
			t.Fatalf("the name is stored as typed: %v %v", got, err)
		}
		driver, dsn := "sqlite", filepath.Join(b.DataDir, store.DBFile)
		if b.DSN != "" {
			driver, dsn = "pgx", b.DSN
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query(`SELECT name, state FROM throttles`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var name, state string
			if err := rows.Scan(&name, &state); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(name+state, "horse") {
				t.Fatalf("the name typed is in the database: %q %q", name, state)
			}
			n++
		}
		if n < 2 { // the receipts' turns, the global count, the account
			t.Fatalf("only %d throttle rows: the failure was not stored", n)
		}
	})
}

func timeWait(t *testing.T, th *auth.Throttle, account string) time.Duration {
	t.Helper()
	start := time.Now()
	if err := th.Wait(context.Background(), account); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}
