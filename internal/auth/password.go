package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters.
type Params struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory per derivation, in KiB
	Threads   uint8  // lanes, run in parallel
}

// DefaultParams make one login cost one argon2id of 64 MiB and 3 passes,
// with two lanes to use both cores of the desk's two-core server. Measured
// there (AMD EPYC, BenchmarkCheck): about 105 ms of wall time and 0.2 s of
// CPU per login when the machine is idle, 0.3 to 0.6 s under heavy load —
// slow enough that each offline guess against a stolen record costs real
// work, fast enough that a login does not feel slow. This is RFC 9106's
// second recommended option with p=2 instead of 4 (more lanes than cores
// adds no speed for the defender).
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// Limits on parameters, so that a record altered in the database cannot make
// a login allocate without bound or spin for minutes.
const (
	maxTime      = 64
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxThreads   = 64
)

const (
	saltSize       = 16
	verifierSize   = 32
	wrapSecretSize = 32
	// maxPasswordBytes bounds what Check hashes; CheckPolicy allows at most
	// 1024 characters, which is at most 4096 bytes of UTF-8.
	maxPasswordBytes = 4 * maxPasswordChars
)

// Validate reports whether p can be used, with a hint when it cannot.
func (p Params) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2id time %d is out of range: use 1 to %d passes", p.Time, maxTime)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("argon2id threads %d is out of range: use 1 to %d", p.Threads, maxThreads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("argon2id memory %d KiB is out of range: use %d KiB to 1 GiB", p.MemoryKiB, 8*uint32(p.Threads))
	}
	return nil
}

// Password is a stored password record. It holds a verifier, never the
// password nor the wrapping secret. Store it as [Password.String].
type Password struct {
	Params   Params
	Salt     []byte
	Verifier []byte
}

// LogValue keeps the record out of logs: a verifier is enough to test
// password guesses offline.
func (p Password) LogValue() slog.Value {
	return slog.StringValue("argon2id(redacted)")
}

// Hasher derives password verifiers and wrapping secrets with argon2id,
// running at most a fixed number of derivations at once. It is safe for
// concurrent use.
type Hasher struct {
	params Params
	slots  chan struct{}
	// queue holds a token for each derivation running or waiting; when it
	// is full, a login is refused at once rather than queued behind a
	// flood it cannot outlast.
	queue chan struct{}
	// derive is argon2.IDKey; tests replace it to watch concurrency.
	derive func(password, salt []byte, p Params, n uint32) []byte
}

// NewHasher returns a Hasher that makes new records with p (the zero Params
// means DefaultParams) and runs at most maxConcurrent derivations at once
// (at least one). Each derivation holds p.MemoryKiB of memory, so choose
// maxConcurrent for the memory you can spare; the number of cores is a good
// start. At most QueuePerSlot derivations per slot may wait; beyond that,
// a check fails at once with ErrBusy. NewHasher panics if p is invalid:
// check configured parameters with [Params.Validate] first.
func NewHasher(p Params, maxConcurrent int) *Hasher {
	if p == (Params{}) {
		p = DefaultParams
	}
	if err := p.Validate(); err != nil {
		panic("auth: " + err.Error())
	}
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	return &Hasher{
		params: p,
		slots:  make(chan struct{}, maxConcurrent),
		queue:  make(chan struct{}, maxConcurrent*(1+QueuePerSlot)),
		derive: func(password, salt []byte, p Params, n uint32) []byte {
			return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, n)
		},
	}
}

// NewPassword makes a record for password with a fresh random salt, and
// returns it with the 32-byte wrapping secret derived from the same hash.
// It does not apply the password policy: call [CheckPolicy] first.
func (h *Hasher) NewPassword(ctx context.Context, password string) (Password, []byte, error) {
	if len(password) > maxPasswordBytes {
		return Password{}, nil, ErrPasswordTooLong
	}
	salt := make([]byte, saltSize)
	rand.Read(salt) // never fails; panics if the system has no randomness
	key, err := h.hash(ctx, password, salt, h.params)
	if err != nil {
		return Password{}, nil, err
	}
	return Password{Params: h.params, Salt: salt, Verifier: key[:verifierSize:verifierSize]}, key[verifierSize:], nil
}

// Check reports whether password matches stored and, when it does, returns
// the wrapping secret. A wrong password gives ok false and no error; err is
// only for a context that ended while waiting for a slot, or a record this
// package cannot use. The derivation uses the record's own parameters.
// For a name with no account, check against a record made once at start-up,
// so that the reply takes as long and does not reveal which names exist.
func (h *Hasher) Check(ctx context.Context, password string, stored Password) (wrapSecret []byte, ok bool, err error) {
	if err := stored.validate(); err != nil {
		return nil, false, err
	}
	if len(password) > maxPasswordBytes {
		// No stored password is this long, and hashing megabytes would be
		// a cheap way to keep a slot busy.
		return nil, false, nil
	}
	key, err := h.hash(ctx, password, stored.Salt, stored.Params)
	if err != nil {
		return nil, false, err
	}
	if subtle.ConstantTimeCompare(key[:verifierSize], stored.Verifier) != 1 {
		return nil, false, nil
	}
	return key[verifierSize:], true, nil
}

// NeedsRehash reports whether stored was made with other parameters than
// this Hasher's. After a successful login, make a new record with
// NewPassword and re-wrap the private key with the new wrapping secret.
func (h *Hasher) NeedsRehash(stored Password) bool {
	return stored.Params != h.params || len(stored.Salt) < saltSize
}

// QueuePerSlot is how many derivations may wait for each slot. With the
// default parameters a derivation takes 0.1 to 0.6 s, so a login that gets a
// place in the queue is answered within a few seconds even under a flood;
// one that does not is told at once to try again.
const QueuePerSlot = 2

// ErrBusy is returned when a login found the queue for hashing slots full,
// or gave up while waiting in it.
var ErrBusy = errors.New("too many logins at once: try again in a moment")

// hash waits for a slot, honouring ctx, and derives verifier‖wrapping secret.
// Once started, a derivation runs to its end: argon2 cannot be interrupted.
func (h *Hasher) hash(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBusy, err)
	}
	select {
	case h.queue <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-h.queue }()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
	}
	defer func() { <-h.slots }()
	pw := []byte(norm.NFKC.String(password))
	return h.derive(pw, salt, p, verifierSize+wrapSecretSize), nil
}

// validate checks a record that may come from outside (the database).
func (p Password) validate() error {
	if err := p.Params.Validate(); err != nil {
		return fmt.Errorf("unusable password record: %w", err)
	}
	if len(p.Salt) < 8 || len(p.Salt) > 64 {
		return errors.New("unusable password record: salt must be 8 to 64 bytes; reset the password")
	}
	if len(p.Verifier) != verifierSize {
		return fmt.Errorf("unusable password record: verifier must be %d bytes; reset the password", verifierSize)
	}
	return nil
}
