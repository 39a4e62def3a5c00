package audit

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"

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
	// Rewritten: the entry is intact and signed, but not the one anchored at
	// its seq: the chain was rewritten from there on, with the audit key.
	Rewritten Kind = "rewritten"
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
	return l.verify(ctx, head, nil)
}

// VerifyAnchors is Verify that also checks anchors (see AnchorFile): each
// must be signed with the audit key, and the chain must hold, at each
// anchor's seq, an entry with the anchor's hash. The first entry that breaks
// either rule is the Damage: Truncated when the chain ends before an
// anchored entry, Rewritten when an anchored entry has another hash now.
func (l *Log) VerifyAnchors(ctx context.Context, head string, anchors []Anchor) (Report, error) {
	if err := l.checkSigned(anchors); err != nil {
		return Report{}, err
	}
	return l.verify(ctx, head, anchors)
}

func (l *Log) verify(ctx context.Context, head string, anchors []Anchor) (Report, error) {
	if head != "" {
		if b, err := hex.DecodeString(head); err != nil || len(b) != 32 {
			return Report{}, fmt.Errorf("head %q is not a hex SHA-256 hash", head)
		}
	}
	anchors = slices.SortedStableFunc(slices.Values(anchors), func(a, b Anchor) int { return cmp.Compare(a.Seq, b.Seq) })
	rep := Report{Head: Genesis}
	reached := head == "" || head == Genesis
	next := int64(1)
	// matchAnchors checks the anchors at seq against the entry there.
	matchAnchors := func(seq int64, hash string) *Damage {
		for len(anchors) > 0 && anchors[0].Seq == seq {
			if a := anchors[0]; a.Hash != hash {
				return &Damage{Seq: seq, Kind: Rewritten, Why: fmt.Sprintf(
					"%s recorded entry %d with hash %s, and the entry there now has hash %s: the log was rewritten after it was anchored", a.where(), seq, a.Hash, hash)}
			}
			anchors = anchors[1:]
		}
		return nil
	}
	var err error
	if d := matchAnchors(0, Genesis); d != nil {
		err = d
	} else {
		// From the smallest seq there is, so that a row forged at seq 0 or
		// below is reported rather than skipped (the auditor's page would
		// show it).
		err = l.store.WalkAudit(ctx, math.MinInt64, func(e store.AuditEntry) error {
			if d := l.check(ctx, e, next, rep.Head); d != nil {
				return d
			}
			if d := matchAnchors(e.Seq, e.Hash); d != nil {
				return d
			}
			rep.Entries++
			rep.Head = e.Hash
			next = e.Seq + 1
			reached = reached || e.Hash == head
			return nil
		})
	}
	var d *Damage
	switch {
	case errors.As(err, &d):
	case err != nil:
		return rep, fmt.Errorf("failed to verify the audit log: %w", err)
	case len(anchors) > 0:
		d = &Damage{Seq: next, Kind: Truncated, Why: fmt.Sprintf(
			"the chain ends at entry %d, but %s recorded entry %d: newer entries were removed", next-1, anchors[0].where(), anchors[0].Seq)}
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

// extend checks that the chain still holds the anchor from (the whole chain
// when from is nil) and that every entry after it is intact, and returns the
// head: what an AnchorFile may anchor next, having read only the new entries.
func (l *Log) extend(ctx context.Context, from *Anchor) (seq int64, hash string, err error) {
	if from == nil {
		rep, err := l.Verify(ctx, "")
		if err != nil {
			return 0, "", err
		}
		return rep.Entries, rep.Head, nil
	}
	seq, hash = from.Seq, from.Hash
	found := seq == 0 && hash == Genesis
	after := seq - 1
	if seq == 0 {
		after = math.MinInt64
	}
	err = l.store.WalkAudit(ctx, after, func(e store.AuditEntry) error {
		if !found {
			if e.Seq != from.Seq {
				return &Damage{Seq: from.Seq, Kind: Removed, Why: fmt.Sprintf("%s recorded entry %d, which is missing now", from.where(), from.Seq)}
			}
			if e.Hash != from.Hash {
				return &Damage{Seq: from.Seq, Kind: Rewritten, Why: fmt.Sprintf(
					"%s recorded entry %d with hash %s, and the entry there now has hash %s: the log was rewritten after it was anchored", from.where(), from.Seq, from.Hash, e.Hash)}
			}
			found = true
			return nil
		}
		if d := l.check(ctx, e, seq+1, hash); d != nil {
			return d
		}
		seq, hash = e.Seq, e.Hash
		return nil
	})
	if err == nil && !found {
		err = &Damage{Seq: from.Seq, Kind: Truncated, Why: fmt.Sprintf(
			"the chain ends before entry %d, which %s recorded: newer entries were removed", from.Seq, from.where())}
	}
	if err != nil {
		return 0, "", err
	}
	return seq, hash, nil
}
