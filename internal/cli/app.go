package cli

import (
	"context"
	"errors"
	"fmt"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/auth"
	"tipline/internal/blind"
	"tipline/internal/install"
	"tipline/internal/store"
)

// app is an opened installation: its keys, its store, and the services built
// on them, shared by the subcommands.
type app struct {
	keys     *install.Keys
	store    *store.Store
	audit    *audit.Log
	accounts *account.Service
	index    *blind.Index
}

// maxConcurrentHashes bounds argon2id's memory: 4 × 64 MiB.
const maxConcurrentHashes = 4

func openApp(ctx context.Context, dataDir, dsn string) (*app, error) {
	keys, err := install.Load(dataDir)
	if errors.Is(err, install.ErrNotInitialised) {
		return nil, withHint(err, fmt.Sprintf("create it with: tipline init --data %s", dataDir))
	}
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dataDir, dsn)
	if err != nil {
		return nil, schemaHint(err)
	}
	a := &app{keys: keys, store: st}
	if a.audit, err = audit.New(st, keys.AuditKey); err != nil {
		st.Close()
		return nil, err
	}
	if a.index, err = blind.New(keys.BlindIndexKey); err != nil {
		st.Close()
		return nil, err
	}
	a.accounts = &account.Service{
		Store:  st,
		Hasher: auth.NewHasher(auth.DefaultParams, maxConcurrentHashes),
		// Failures are counted in the database, so that every server and
		// this CLI slow the same guesser.
		Throttle: auth.NewSharedThrottle(auth.ThrottleConfig{}, st, keys.LocalSecret()),
	}
	return a, nil
}

func (a *app) Close() error { return a.store.Close() }
