package audit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"tipline/internal/store"
)

// Kind says what is wrong with an entry.
type Kind string

// What Verify can find, checked in this order for each entry.
const (
	// Altered: the entry's fields do not match its hash.
	Altered Kind = "altered"
	// Reordered: the entry's fields are intact and signed, but for another
	// place in the chain (its content was moved to this seq).
	Reordered Kind = "reordered"
	// BadSignature: the hash matches but is not signed by the audit key, as
	// when the chain was recomputed by someone without the key file (or the
	// key file belongs to another installation).
	BadSignature Kind = "bad signature"
	// Removed: entries before this one are missing (a gap in seq, or a
	// prev_hash that does not match the entry before).
	Removed Kind = "removed"
	// Truncated: the chain ends before reaching the head recorded elsewhere,
	// so its newest entries were cut off.
	Truncated Kind = "truncated"
)

// Damage names the first bad entry in the chain and what is wrong with it.
type Damage struct {
	Seq  int64  // the first bad (or, for Removed and Truncated, missing) seq
	Kind Kind   // what is wrong
	Why  string // a sentence for the operator
}

func (d *Damage) Error() string {
	return fmt.Sprintf("audit log entry %d: %s: %s", d.Seq, d.Kind, d.Why)
}

// Report is the result of Verify.
type Report struct {
	Entries int64   // entries verified intact, from the first
	Head    string  // hash of the last intact entry; Genesis when there is none
	Damage  *Damage // the first bad entry; nil when the chain is intact
}

// Verify walks the whole chain, checking each entry's hash, signature, seq
// and link to the entry before, and stops at the first bad entry. When head
// is not empty, the chain must also reach it: some entry must carry that
// hash (a head recorded earlier; later entries may follow it).
//
// A damaged chain returns a Report whose Damage is set and that same
// *Damage as the error; other errors mean the log could not be read.
func (l *Log) Verify(ctx context.Context, head string) (Report, error) {
	if head != "" {
		if b, err := hex.DecodeString(head); err != nil || len(b) != 32 {
			return Report{}, fmt.Errorf("head %q is not a hex SHA-256 hash", head)
		}
	}
	rep := Report{Head: Genesis}
	reached := head == "" || head == Genesis
	next := int64(1)
	// From the smallest seq there is, so that a row forged at seq 0 or below
	// is reported rather than skipped (the auditor's page would show it).
	err := l.store.WalkAudit(ctx, math.MinInt64, func(e store.AuditEntry) error {
		if d := l.check(ctx, e, next, rep.Head); d != nil {
			return d
		}
		rep.Entries++
		rep.Head = e.Hash
		next = e.Seq + 1
		reached = reached || e.Hash == head
		return nil
	})
	var d *Damage
	switch {
	case errors.As(err, &d):
	case err != nil:
		return rep, fmt.Errorf("failed to verify the audit log: %w", err)
	case !reached:
		d = &Damage{Seq: next, Kind: Truncated, Why: fmt.Sprintf(
			"the chain ends at entry %d and never reaches the recorded head %s: newer entries were removed (or the head is from another installation)", next-1, head)}
	default:
		return rep, nil
	}
	rep.Damage = d
	return rep, d
}

// check returns what is wrong with e, given the seq and prev_hash the chain
// expects next, or nil. The entry's own integrity is checked before its
// place in the chain, so that a moved entry is named as moved.
func (l *Log) check(ctx context.Context, e store.AuditEntry, seq int64, prev string) *Damage {
	if Hash(e) != e.Hash {
		if orig, ok := l.signedAs(ctx, e); ok {
			return &Damage{Seq: e.Seq, Kind: Reordered, Why: fmt.Sprintf(
				"it holds the intact, signed content of entry %d: rows were moved", orig)}
		}
		return &Damage{Seq: e.Seq, Kind: Altered, Why: "its content does not match its hash: the row was changed"}
	}
	if !signedBy(l.key, e.Hash, e.MAC) {
		return &Damage{Seq: e.Seq, Kind: BadSignature, Why: "its hash is not signed with the audit key: the chain was rewritten without the key file"}
	}
	if e.Seq > seq {
		missing := fmt.Sprintf("entry %d is", seq)
		if e.Seq-1 > seq {
			missing = fmt.Sprintf("entries %d to %d are", seq, e.Seq-1)
		}
		return &Damage{Seq: seq, Kind: Removed, Why: fmt.Sprintf("%s missing: the next entry present is %d", missing, e.Seq)}
	}
	if e.Seq < seq || e.PrevHash != prev {
		return &Damage{Seq: e.Seq, Kind: Removed, Why: "it was not written after the entry now before it: an entry was removed and replaced"}
	}
	return nil
}

// signedAs looks for the seq that e's content was signed under, when its
// hash does not match its own seq. It tries every seq in the log: a hash per
// entry, paid only once a chain is already known to be damaged.
func (l *Log) signedAs(ctx context.Context, e store.AuditEntry) (int64, bool) {
	last, _, err := l.store.AuditHead(ctx)
	if err != nil || !signedBy(l.key, e.Hash, e.MAC) {
		return 0, false
	}
	for k := int64(1); k <= last; k++ {
		e.Seq = k
		if Hash(e) == e.Hash {
			return k, true
		}
	}
	return 0, false
}
