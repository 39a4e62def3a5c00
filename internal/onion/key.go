// Package onion publishes the source site as a Tor v3 onion service through
// Tor's control port, with a key the installation keeps, so that its address
// never changes.
//
// The service key is made once and kept in the data folder, sealed under a
// secret derived from the key file (never in the clear, never in the
// database). The address is known from the key before Tor answers; Publish
// asks Tor for the service (ADD_ONION), reports when Tor has it, and asks
// again whenever Tor restarts. The service lives as long as the control
// connection: when Tipline stops, Tor drops it.
//
// What this package cannot promise: that Tor publishes the service's
// descriptors (Tor may be offline, or blocked), nor anything about the Tor
// process itself — it speaks to whatever answers on the control port.
package onion

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"tipline/internal/seal"
)

// KeyFile is the sealed service key's name in the data folder.
const KeyFile = "onion-service.key"

const sealPurpose = "onion service key"

// Key is an onion service's ed25519 key.
type Key struct{ private ed25519.PrivateKey }

// LoadOrCreateKey reads the sealed key at path, or makes one and writes it
// there (mode 0600) the first time. secret seals it: a high-entropy secret
// from the key file.
func LoadOrCreateKey(path string, secret []byte) (*Key, error) {
	sealed, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path, secret)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the onion service key: %w", err)
	}
	seed, err := seal.OpenWithSecret(sealed, secret, sealPurpose)
	if err != nil {
		return nil, fmt.Errorf("the onion service key %s cannot be opened with this installation's key file: %w", path, err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("the onion service key %s is damaged", path)
	}
	return &Key{ed25519.NewKeyFromSeed(seed)}, nil
}

func createKey(path string, secret []byte) (*Key, error) {
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	sealed, err := seal.SealToSecret(seed, secret, sealPurpose)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("failed to create the onion service key: %w", err)
	}
	if _, err := f.Write(sealed); err != nil {
		f.Close()
		return nil, fmt.Errorf("failed to write the onion service key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("failed to write the onion service key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &Key{ed25519.NewKeyFromSeed(seed)}, nil
}

// Address is the service's .onion address.
func (k *Key) Address() string {
	return addressOf(k.private.Public().(ed25519.PublicKey))
}

// torBlob is the key as ADD_ONION takes it: "ED25519-V3:" and the base64 of
// the 64-byte expanded secret key (the clamped scalar, then the hash
// prefix), which is how Tor stores v3 keys.
func (k *Key) torBlob() string {
	h := sha512.Sum512(k.private.Seed())
	h[0] &= 248
	h[31] &= 127
	h[31] |= 64
	return "ED25519-V3:" + base64.StdEncoding.EncodeToString(h[:])
}

const version3 = 0x03

// addressOf computes a v3 onion address (rend-spec-v3, "Encoding onion
// addresses"): base32 of the public key, a two-byte checksum and the
// version.
func addressOf(pub ed25519.PublicKey) string {
	b := append(append([]byte{}, pub...), checksum(pub)...)
	b = append(b, version3)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b)) + ".onion"
}

func checksum(pub []byte) []byte {
	h := sha3.New256()
	h.Write([]byte(".onion checksum"))
	h.Write(pub)
	h.Write([]byte{version3})
	return h.Sum(nil)[:2]
}

// ValidAddress reports whether s is a v3 onion address (56 base32
// characters and ".onion", with a right checksum and version), with a
// reason when it is not.
func ValidAddress(s string) error {
	label, ok := strings.CutSuffix(strings.ToLower(s), ".onion")
	if !ok || len(label) != 56 {
		return fmt.Errorf("%q is not a v3 onion address (56 letters and digits, then .onion)", s)
	}
	raw, err := base32.StdEncoding.DecodeString(strings.ToUpper(label))
	if err != nil || len(raw) != 35 {
		return fmt.Errorf("%q is not a v3 onion address: not base32", s)
	}
	pub, sum, ver := raw[:32], raw[32:34], raw[34]
	if ver != version3 || string(checksum(pub)) != string(sum) {
		return fmt.Errorf("%q is not a v3 onion address: its checksum or version is wrong (a typo?)", s)
	}
	return nil
}
