package install

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"tipline/internal/seal"
	"tipline/internal/store"
)

// Recovery is who reports' recovery copies are wrapped to now.
type Recovery struct {
	// Current is the recipient new reports are wrapped to: the database's
	// once the recovery key has been rotated ("tipline recovery rotate"),
	// which every app server shares, else the key file's.
	Current seal.Recipient
	// RotatingFrom is set while a rotation is in progress: the recipient it
	// replaces, to which reports not yet rewrapped are still wrapped.
	RotatingFrom *seal.Recipient
}

// RecoveryNow reads the installation's recovery recipients.
func (k *Keys) RecoveryNow(ctx context.Context, st *store.Store) (Recovery, error) {
	state, err := st.Recovery(ctx)
	if err != nil {
		return Recovery{}, err
	}
	return k.recoveryOf(state)
}

func (k *Keys) recoveryOf(state store.RecoveryState) (Recovery, error) {
	var rec Recovery
	var err error
	if state.Recipient == "" {
		rec.Current, err = k.Recovery()
		return rec, err
	}
	if rec.Current, err = seal.ParseRecipient(state.Recipient); err != nil {
		return rec, fmt.Errorf("the database's recovery recipient is damaged: %w", err)
	}
	if state.RotatingFrom != "" {
		from, err := seal.ParseRecipient(state.RotatingFrom)
		if err != nil {
			return rec, fmt.Errorf("the database's recovery recipient is damaged: %w", err)
		}
		rec.RotatingFrom = &from
	}
	return rec, nil
}

// SetRecoveryRecipient records r in the data folder's key file, replaced
// whole (written beside it, fsynced, renamed over it), so that the file a
// backup holds names the recipient in force. The database's is the one every
// server wraps to; this keeps the file from naming a retired one.
func SetRecoveryRecipient(dataDir string, r seal.Recipient) error {
	keys, err := Load(dataDir)
	if err != nil {
		return err
	}
	if store.SameRecipient(keys.RecoveryRecipient, r.String()) {
		return nil
	}
	keys.RecoveryRecipient = r.String()
	b, _ := json.MarshalIndent(keys, "", "  ")
	path := filepath.Join(dataDir, KeyFile)
	tmp := path + ".new"
	os.Remove(tmp) // left by an interrupted run: it was never in use
	if err := writeNew(tmp, b); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("failed to replace %s: %w", path, err)
	}
	d, err := os.Open(dataDir)
	if err != nil {
		return fmt.Errorf("failed to sync %s: %w", dataDir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("failed to sync %s: %w", dataDir, err)
	}
	return nil
}
