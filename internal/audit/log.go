package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tipline/internal/store"
)

// Limits on an Event's fields. They keep entries short, which is all an
// auditor needs, and leave no room for report content to creep in.
const (
	MaxActor  = 128
	MaxAction = 64
	MaxDetail = 256
)

// Event is what happened, as the caller tells it. The Log adds the time, the
// seq and the chain.
type Event struct {
	Actor  string // who: "user:<id>", "system", "cli"
	Action string // what: "tip.read", "tip.status", "login.ok", "login.fail", "grant", "setting"
	TipID  string // which report, or "" for none
	Detail string // a short note; NEVER report content
}

// ErrInvalidEvent is returned, wrapped, for an Event that breaks the rules
// above; nothing is recorded.
var ErrInvalidEvent = errors.New("invalid audit event")

// Validate checks an Event: actor and action present, every field short and
// free of control characters, action a lower-case dotted word.
func (e Event) Validate() error {
	switch {
	case e.Actor == "":
		return fmt.Errorf("%w: no actor", ErrInvalidEvent)
	case e.Action == "":
		return fmt.Errorf("%w: no action", ErrInvalidEvent)
	case len(e.Actor) > MaxActor, len(e.Action) > MaxAction, len(e.TipID) > MaxActor:
		return fmt.Errorf("%w: actor, action or report id too long", ErrInvalidEvent)
	case len(e.Detail) > MaxDetail:
		return fmt.Errorf("%w: detail longer than %d bytes (it is a short note, never report content)", ErrInvalidEvent, MaxDetail)
	case strings.TrimLeft(e.Action, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "":
		return fmt.Errorf("%w: action %q is not a lower-case dotted word", ErrInvalidEvent, e.Action)
	}
	for _, s := range []string{e.Actor, e.TipID, e.Detail} {
		if !printable(s) {
			return fmt.Errorf("%w: control character or invalid UTF-8", ErrInvalidEvent)
		}
	}
	return nil
}

// printable rejects control characters, so that no field can break a line
// of the verifier's or the auditor page's output.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// Log records events in the store's audit log and verifies it. Safe for
// concurrent use; any number of Logs, in any number of processes, may append
// to one database.
type Log struct {
	store *store.Store
	key   []byte
	now   func() time.Time // a test hook
}

// New returns a Log over the store, signing with key: the audit key from the
// key file (install.Keys.AuditKey), at least 32 bytes.
func New(s *store.Store, key []byte) (*Log, error) {
	if len(key) < 32 {
		return nil, errors.New("audit key is shorter than 32 bytes")
	}
	return &Log{store: s, key: key, now: time.Now}, nil
}

// Record appends an event, in a transaction of its own.
func (l *Log) Record(ctx context.Context, e Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if _, err := l.store.AppendAudit(ctx, l.sealer(e)); err != nil {
		return fmt.Errorf("failed to record %s: %w", e.Action, err)
	}
	return nil
}

// Attach returns a context under which the store's next committed write
// also appends the events, in the same transaction: the write and its
// entries commit together or not at all. Use it for every write a user asks
// for; Record is for events that change nothing else (a read, a failed
// login).
func (l *Log) Attach(ctx context.Context, events ...Event) (context.Context, error) {
	seals := make([]store.AuditSealer, len(events))
	for i, e := range events {
		if err := e.Validate(); err != nil {
			return ctx, err
		}
		seals[i] = l.sealer(e)
	}
	return store.WithAudit(ctx, seals...), nil
}

// sealer builds the chain's next entry for e. The time is taken here, under
// the chain's lock, so that times follow seq on any one clock.
func (l *Log) sealer(e Event) store.AuditSealer {
	return func(seq int64, prevHash string) (store.AuditEntry, error) {
		if prevHash == "" {
			prevHash = Genesis
		}
		entry := store.AuditEntry{Seq: seq, At: l.now().Unix(), Actor: e.Actor, Action: e.Action,
			TipID: e.TipID, Detail: e.Detail, PrevHash: prevHash}
		entry.Hash = Hash(entry)
		entry.MAC = sign(l.key, entry.Hash)
		return entry, nil
	}
}

// Head returns the hash of the newest entry (Genesis for an empty log), for
// the operator to record somewhere the database's attackers cannot reach.
// It does not verify the chain: record a head that Verify has accepted.
func (l *Log) Head(ctx context.Context) (string, error) {
	_, hash, err := l.store.AuditHead(ctx)
	if err != nil {
		return "", err
	}
	if hash == "" {
		return Genesis, nil
	}
	return hash, nil
}
