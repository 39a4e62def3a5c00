// Package install creates and loads a Tipline installation: the data folder,
// its key file and the database with the default offer.
//
// The key file holds the server-side secrets that are not content keys — the
// blind-index key and the audit-signing key — and the public recovery
// recipient. It lives beside the database, not in it, so that a copy of the
// database alone reveals neither secret. "tipline backup" holds it, sealed
// whole to the recovery recipient, whose holder can open every report anyway.
package install

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// File names in the data folder.
const (
	KeyFile              = "tipline.key"
	RecoveryIdentityFile = "recovery-identity.txt"
)

// ErrNotInitialised means the data folder has no installation yet.
var ErrNotInitialised = errors.New("no Tipline installation here")

// Keys is the content of the key file.
type Keys struct {
	Version           int    `json:"version"`
	RecoveryRecipient string `json:"recovery_recipient"`
	BlindIndexKey     []byte `json:"blind_index_key"`
	AuditKey          []byte `json:"audit_key"`
}

// LocalSecret is the secret that seals server-side files kept beside the
// key file (the onion service's key); each use seals under its own purpose.
func (k *Keys) LocalSecret() []byte {
	return append(append([]byte{}, k.BlindIndexKey...), k.AuditKey...)
}

// Recovery returns the recovery recipient every tip is wrapped to.
func (k *Keys) Recovery() (seal.Recipient, error) {
	return seal.ParseRecipient(k.RecoveryRecipient)
}

// Options for Init.
type Options struct {
	DataDir           string
	DSN               string // PostgreSQL; empty for SQLite in DataDir
	RecoveryRecipient string // an offline age public key; empty to generate one
}

// Result says what Init made.
type Result struct {
	RecoveryIdentityPath string // set when Init generated the recovery identity
	OfferID              string
	// ClassicRecovery is set when the recovery recipient given is a classic
	// X25519 one (age1...), which a future quantum computer could break.
	ClassicRecovery bool
}

// WriteIdentity writes a new identity file (mode 0600, never over an
// existing file), in age-keygen's format with a note for the reader.
func WriteIdentity(path string, id *seal.Key, note string) error {
	body := fmt.Sprintf("# Tipline recovery identity, created %s.\n# %s\n# public key: %s\n%s\n",
		time.Now().UTC().Format(time.RFC3339), note, id.Recipient(), id)
	return writeNew(path, []byte(body))
}

// Init creates an installation: the data folder (mode 0700), the key file,
// the database and the default offer. It refuses to overwrite an existing key
// file, since that would orphan every tip wrapped to its recovery key.
func Init(ctx context.Context, opt Options) (Result, error) {
	var res Result
	if err := os.MkdirAll(opt.DataDir, 0o700); err != nil {
		return res, fmt.Errorf("failed to create data folder: %w", err)
	}
	keyPath := filepath.Join(opt.DataDir, KeyFile)
	if _, err := os.Stat(keyPath); err == nil {
		return res, fmt.Errorf("%s already exists: this folder is already a Tipline installation", keyPath)
	}
	keys := &Keys{Version: 1, BlindIndexKey: randomKey(), AuditKey: randomKey()}
	if opt.RecoveryRecipient != "" {
		r, err := seal.ParseRecipient(opt.RecoveryRecipient)
		if err != nil {
			return res, fmt.Errorf("--recovery-recipient: %w", err)
		}
		keys.RecoveryRecipient = r.String()
		res.ClassicRecovery = !r.PostQuantum()
	} else {
		id, err := seal.NewKey()
		if err != nil {
			return res, err
		}
		res.RecoveryIdentityPath = filepath.Join(opt.DataDir, RecoveryIdentityFile)
		if err := WriteIdentity(res.RecoveryIdentityPath, id, "It opens every report. Move this file OFFLINE now and delete it here."); err != nil {
			return res, err
		}
		keys.RecoveryRecipient = id.Recipient().String()
	}
	s, err := store.Open(ctx, opt.DataDir, opt.DSN)
	if err != nil {
		return res, err
	}
	defer s.Close()
	if _, err := s.DefaultOffer(ctx); tip.ErrorCode(err) == tip.CodeNotFound {
		o := DefaultOffer()
		if err := s.CreateOffer(ctx, o); err != nil {
			return res, err
		}
		res.OfferID = o.ID
	} else if err != nil {
		return res, err
	}
	b, _ := json.MarshalIndent(keys, "", "  ")
	if err := writeNew(keyPath, b); err != nil {
		return res, err
	}
	return res, nil
}

// DefaultOffer is the offer init creates. Its text is per language; the
// source pages show it in the reader's language.
func DefaultOffer() tip.Offer {
	return tip.Offer{
		ID:           tip.NewID(),
		Title:        map[string]string{"en": "North Korea sanctions evasion", "ko": "북한 제재 회피", "zh": "朝鲜规避制裁", "ru": "Уклонение от санкций против КНДР"},
		Description:  map[string]string{},
		MaxRewardUSD: tip.DefaultMaxRewardUSD,
		Categories:   tip.DPRKCategories,
		IsDefault:    true,
		CreatedAt:    time.Now().UTC(),
	}
}

// Load reads the key file of an installation.
func Load(dataDir string) (*Keys, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, KeyFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s", ErrNotInitialised, dataDir, KeyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read key file: %w", err)
	}
	var k Keys
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("key file %s is damaged: %w", KeyFile, err)
	}
	if _, err := k.Recovery(); err != nil || len(k.BlindIndexKey) < 32 || len(k.AuditKey) < 32 {
		return nil, fmt.Errorf("key file %s is incomplete or damaged", KeyFile)
	}
	return &k, nil
}

func randomKey() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// writeNew writes a secret file, owner-only, fsynced, refusing to overwrite.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("failed to create %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	return f.Close()
}
