// Package seal is Tipline's only door to encryption: everything else speaks of
// sealing and opening, and never imports age.
//
// A [Key] is a private key that opens things sealed to its [Recipient]. Keys
// made here are age's post-quantum hybrid keys (ML-KEM-768 + X25519), because
// the adversary in Tipline's threat model is a state that may keep a seized
// database for decades. Recipients supplied from outside, such as an offline
// recovery recipient, may also be classic X25519 ("age1...").
//
// The key hierarchy of DESIGN.md is built from three operations:
//
//   - [Seal] / [Open] stream content to and from a recipient ([SealTo]: to
//     several, as a backup is);
//   - [Wrap] / [Unwrap] seal one key to another holder's recipient;
//   - [WrapToSecret] / [UnwrapWithSecret] seal a key under a high-entropy
//     secret (a receipt, a session secret, a password hash), so any secret
//     can hold a wrapped key.
//
// Intake needs public keys only: a tip is sealed to a fresh per-tip key whose
// private half is wrapped to each holder and then forgotten.
package seal

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"filippo.io/age"
)

// ErrCannotOpen means none of the given keys opens the sealed data: the data
// was sealed to someone else, or it is damaged.
var ErrCannotOpen = errors.New("sealed data cannot be opened with this key")

// Key is a private key. Its String form is secret.
type Key struct {
	id        age.Identity
	recipient Recipient
	encoded   string

	ownOnce sync.Once
	own     string // passphrase of what SealBytesWithKey seals, see ownPassphrase
}

// Recipient is a public key that things can be sealed to.
type Recipient struct {
	r       age.Recipient
	encoded string // "" until asked for: a hybrid key's text is 1,900 characters of bech32
}

// NewKey generates a fresh post-quantum hybrid key.
func NewKey() (*Key, error) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, fmt.Errorf("failed to generate key: %w", err)
	}
	return &Key{id: id, recipient: Recipient{r: id.Recipient()}, encoded: id.String()}, nil
}

// ParseKey reads a key in age's text form (AGE-SECRET-KEY-PQ-1... or
// AGE-SECRET-KEY-1...).
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "AGE-SECRET-KEY-PQ-1"):
		id, err := age.ParseHybridIdentity(s)
		if err != nil {
			return nil, err
		}
		return &Key{id: id, recipient: Recipient{r: id.Recipient()}, encoded: s}, nil
	case strings.HasPrefix(s, "AGE-SECRET-KEY-1"):
		id, err := age.ParseX25519Identity(s)
		if err != nil {
			return nil, err
		}
		return &Key{id: id, recipient: Recipient{r: id.Recipient()}, encoded: s}, nil
	}
	return nil, errors.New("not an age secret key (expected AGE-SECRET-KEY-PQ-1... or AGE-SECRET-KEY-1...)")
}

// minSecretLen is the shortest secret [WrapToSecret] takes: 13 bytes hold
// the 103 bits of a receipt, the weakest secret Tipline wraps keys under.
const minSecretLen = 13

// secretWorkFactor is the scrypt work factor (log2 N) of keys wrapped under a
// secret. It is the lowest age allows, on purpose: the secrets are random and
// at least 100 bits, so a slow hash would add nothing against guessing (a
// receipt's lookup id, stored in the clear, is a fast hash of it anyway) and
// would cost every submission and every request of a session.
const secretWorkFactor = 1

// WrapToSecret seals key under a high-entropy secret: a receipt, a session
// secret, a slow hash of a password — never a password itself. The purpose
// separates wraps under the same secret for different uses. It is symmetric
// (age's scrypt recipient: ChaCha20-Poly1305 under a key hashed from the
// secret), so it resists a quantum computer as well as the secret's length
// allows, and it costs microseconds where a key pair derived from the secret
// cost a post-quantum key generation and encapsulation.
func WrapToSecret(key *Key, secret []byte, purpose string) ([]byte, error) {
	r, err := passphraseRecipient(secretPassphrase(secret, purpose))
	if err != nil {
		return nil, err
	}
	return sealBytes([]byte(key.encoded), r)
}

// SealToSecret seals a small value under a high-entropy secret, for a
// purpose, as WrapToSecret does a key: for server-side secrets kept beside
// the key file (the onion service's key), never for report content.
func SealToSecret(plaintext, secret []byte, purpose string) ([]byte, error) {
	r, err := passphraseRecipient(secretPassphrase(secret, purpose))
	if err != nil {
		return nil, err
	}
	return sealBytes(plaintext, r)
}

// OpenWithSecret opens what SealToSecret sealed with the same secret and
// purpose. Any other secret gets [ErrCannotOpen].
func OpenWithSecret(sealed, secret []byte, purpose string) ([]byte, error) {
	return openBytes(sealed, passphraseIdentity(secretPassphrase(secret, purpose)))
}

// passphraseRecipient is age's scrypt recipient at the work factor of
// secretWorkFactor, for passphrases derived from high-entropy secrets only.
func passphraseRecipient(passphrase string) (age.Recipient, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("failed to seal: %w", err)
	}
	r.SetWorkFactor(secretWorkFactor)
	return r, nil
}

// UnwrapWithSecret opens a key wrapped by [WrapToSecret] with the same secret
// and purpose. Any other secret gets [ErrCannotOpen].
func UnwrapWithSecret(wrapped, secret []byte, purpose string) (*Key, error) {
	return unwrap(wrapped, passphraseIdentity(secretPassphrase(secret, purpose)))
}

// passphraseIdentity opens what passphraseRecipient sealed. It refuses
// anything slower than secretWorkFactor: a damaged or planted wrap must not
// make the server hash for seconds.
func passphraseIdentity(passphrase string) age.Identity {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		panic("seal: scrypt identity: " + err.Error()) // only on an empty passphrase
	}
	id.SetMaxWorkFactor(secretWorkFactor)
	return id
}

// secretPassphrase turns a secret and a purpose into the passphrase of age's
// scrypt recipient. It panics on a secret too short to be one, which is a
// programming error, not bad input.
func secretPassphrase(secret []byte, purpose string) string {
	if len(secret) < minSecretLen {
		panic(fmt.Sprintf("seal: a %d-byte secret is too short to wrap a key under", len(secret)))
	}
	k, err := hkdf.Key(sha256.New, secret, nil, "tipline seal v2: "+purpose, 32)
	if err != nil {
		panic("seal: hkdf: " + err.Error()) // only on an impossible length
	}
	return hex.EncodeToString(k)
}

// String returns the secret text form of the key. Never log it.
func (k *Key) String() string { return k.encoded }

// Recipient returns the public half of the key.
func (k *Key) Recipient() Recipient { return k.recipient }

// ParseRecipient reads a public key: age1pq1... (hybrid) or age1... (X25519).
func ParseRecipient(s string) (Recipient, error) {
	s = strings.TrimSpace(s)
	var r age.Recipient
	var err error
	switch {
	case strings.HasPrefix(s, "age1pq1"):
		r, err = age.ParseHybridRecipient(s)
	case strings.HasPrefix(s, "age1"):
		r, err = age.ParseX25519Recipient(s)
	default:
		err = errors.New("expected an age public key starting with age1")
	}
	if err != nil {
		return Recipient{}, fmt.Errorf("invalid recipient: %w", err)
	}
	return Recipient{r: r, encoded: s}, nil
}

// String returns the public text form of the recipient.
func (r Recipient) String() string {
	if r.encoded == "" && r.r != nil {
		return r.r.(fmt.Stringer).String()
	}
	return r.encoded
}

// PostQuantum reports whether things sealed to r resist a future quantum computer.
func (r Recipient) PostQuantum() bool {
	_, hybrid := r.r.(*age.HybridRecipient)
	return hybrid
}

// Seal returns a writer that encrypts what is written to it, for to, into dst.
// The caller must Close it to write the final chunk.
func Seal(dst io.Writer, to Recipient) (io.WriteCloser, error) {
	w, err := age.Encrypt(dst, to.r)
	if err != nil {
		return nil, fmt.Errorf("failed to start sealing: %w", err)
	}
	return w, nil
}

// SealTo is [Seal] to several recipients, any one of which opens the result:
// a backup sealed to the installation's recovery recipient and to others. All
// of them must be post-quantum, or all classic: a classic one would leave
// the whole file open to a future quantum computer, and age refuses the mix.
func SealTo(dst io.Writer, to ...Recipient) (io.WriteCloser, error) {
	if len(to) == 0 {
		return nil, errors.New("failed to start sealing: no recipient")
	}
	rs := make([]age.Recipient, len(to))
	for i, r := range to {
		rs[i] = r.r
	}
	w, err := age.Encrypt(dst, rs...)
	if err != nil {
		return nil, fmt.Errorf("failed to start sealing: %w", err)
	}
	return w, nil
}

// Open returns a reader of the plaintext of src. Damage is reported by Read.
func Open(src io.Reader, with *Key) (io.Reader, error) {
	source := &failingSource{r: src}
	r, err := age.Decrypt(source, with.identities()...)
	if err != nil {
		return nil, source.openError(err)
	}
	return r, nil
}

// OpenAt gives random access to the plaintext of sealed data of the given
// size, so that processing which needs it (PDF metadata) never writes a
// plaintext temporary file.
func OpenAt(src io.ReaderAt, size int64, with *Key) (io.ReaderAt, int64, error) {
	source := &failingSource{at: src}
	r, n, err := age.DecryptReaderAt(source, size, with.identities()...)
	if err != nil {
		return nil, 0, source.openError(err)
	}
	return r, n, nil
}

// SealBytes seals a small value in memory.
func SealBytes(plaintext []byte, to Recipient) ([]byte, error) {
	return sealBytes(plaintext, to.r)
}

func sealBytes(plaintext []byte, to age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to)
	if err != nil {
		return nil, fmt.Errorf("failed to start sealing: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("failed to seal: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("failed to seal: %w", err)
	}
	return buf.Bytes(), nil
}

// SealBytesWithKey seals a small value for the holders of key, as
// [SealBytes] to its recipient would, but with the private half: the file key
// is wrapped symmetrically under a secret derived from the key, which costs
// microseconds where an encapsulation to a post-quantum recipient costs a
// fifth of a millisecond. Only code that holds the key can seal this way —
// intake, for the report it has just made a key for; everyone else seals to
// the recipient. [Open] opens both.
func SealBytesWithKey(plaintext []byte, key *Key) ([]byte, error) {
	r, err := passphraseRecipient(key.ownPassphrase())
	if err != nil {
		return nil, err
	}
	return sealBytes(plaintext, r)
}

// ownPassphrase derives, from the private key, the secret under which
// SealBytesWithKey wraps file keys. The key's seed holds 256 bits.
func (k *Key) ownPassphrase() string {
	k.ownOnce.Do(func() { k.own = secretPassphrase([]byte(k.encoded), "sealed with the key itself") })
	return k.own
}

// identities are what opens data sealed for k: to its recipient, or with the
// key itself.
func (k *Key) identities() []age.Identity {
	return []age.Identity{k.id, passphraseIdentity(k.ownPassphrase())}
}

// OpenBytes opens a small sealed value in memory.
func OpenBytes(sealed []byte, with *Key) ([]byte, error) {
	return openBytes(sealed, with.identities()...)
}

func openBytes(sealed []byte, ids ...age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), ids...)
	if err != nil {
		return nil, openError(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sealed data is damaged: %w", err)
	}
	return b, nil
}

// Wrap seals key to a holder's recipient.
func Wrap(key *Key, to Recipient) ([]byte, error) {
	return SealBytes([]byte(key.encoded), to)
}

// Unwrap opens a wrapped key with the holder's key.
func Unwrap(wrapped []byte, with *Key) (*Key, error) {
	return unwrap(wrapped, with.identities()...)
}

func unwrap(wrapped []byte, ids ...age.Identity) (*Key, error) {
	b, err := openBytes(wrapped, ids...)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("wrapped key is damaged: %w", err)
	}
	return k, nil
}

// failingSource remembers why reading sealed data failed: a source that
// could not be read (the database did not answer) is that failure, not
// sealed data that this key cannot open.
type failingSource struct {
	r  io.Reader
	at io.ReaderAt

	mu  sync.Mutex // OpenAt's reader may be read from several goroutines
	err error
}

func (f *failingSource) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.note(err)
	return n, err
}

func (f *failingSource) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.at.ReadAt(p, off)
	f.note(err)
	return n, err
}

func (f *failingSource) note(err error) {
	if err == nil || err == io.EOF {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

func (f *failingSource) openError(err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return fmt.Errorf("failed to read sealed data: %w", f.err)
	}
	return openError(err)
}

func openError(err error) error {
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return ErrCannotOpen
	}
	return fmt.Errorf("%w: %v", ErrCannotOpen, err)
}
