package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// A call on a database that keeps the connection and never answers fails as
// the outage it is once the store's patience is spent — a read and a write
// alike — and works again once the database answers.
func TestStalledDatabaseCallsGiveUpAfterThePatience(t *testing.T) {
	b := storetest.Postgres(t)
	proxy := storetest.StartProxy(t, b.DSN)
	s, err := store.Open(context.Background(), b.DataDir, proxy.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t.Cleanup(proxy.Cut) // before Close: a call still held must not hold the test
	s.SetPatience(500 * time.Millisecond)
	ctx := context.Background()

	proxy.Stall()
	for name, call := range map[string]func() error{
		"a read":  func() error { _, err := s.SchemaStatus(ctx); return err },
		"a write": func() error { return s.CreateSourceSession(ctx, "stalled", "no-tip", []byte("k"), time.Now()) },
	} {
		done := make(chan error, 1)
		go func() { done <- call() }()
		select {
		case err := <-done:
			if !errors.Is(store.Classify(err), store.ErrUnavailable) {
				t.Errorf("%s on a stalled database: %v, want the database unavailable", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s on a stalled database was not given up within 5 s with a patience of 0.5 s", name)
		}
	}
	proxy.Unstall()
	if _, err := s.SchemaStatus(ctx); err != nil {
		t.Fatalf("once the database answers: %v", err)
	}
}

// Calls that opt out of the patience are bounded by their context alone: a
// snapshot (a backup's) outlives it and a migration runs, while a call that
// did not opt out is cut.
func TestWithoutDeadlineIsNotCutByThePatience(t *testing.T) {
	b := storetest.Postgres(t)
	ctx := context.Background()
	s, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetPatience(100 * time.Millisecond)
	sn, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	time.Sleep(300 * time.Millisecond)
	if _, err := sn.Schema(store.WithoutDeadline(ctx)); err != nil {
		t.Fatalf("a snapshot older than the patience: %v", err)
	}

	s.SetPatience(time.Nanosecond)
	if _, err := s.SchemaStatus(ctx); !errors.Is(store.Classify(err), store.ErrUnavailable) {
		t.Fatalf("a call with no time left: %v, want it cut", err)
	}
	if _, err := s.SchemaStatus(store.WithoutDeadline(ctx)); err != nil {
		t.Fatalf("a call that opted out: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("a migration: %v", err)
	}
}
