package audit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"tipline/internal/audit"
	"tipline/internal/store"
)

// The encoding is a format: entries already written must keep verifying, so
// this vector must never change.
func TestHashVector(t *testing.T) {
	e := store.AuditEntry{Seq: 1, At: 1_700_000_000, Actor: "user:0123", Action: "tip.status", TipID: "abcd",
		Detail: "new -> triage", PrevHash: audit.Genesis}
	const want = "a800ebda8c3349d77ff27af21619169f82c28b6d20fb61e94bfc2cc895b46e10" // also computed outside Go from the encoding documented on Hash
	if got := audit.Hash(e); got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
}

// Moving bytes from one field to its neighbour, or an absent report id to an
// empty one's place, must change the hash.
func TestHashIsUnambiguous(t *testing.T) {
	base := store.AuditEntry{Seq: 2, At: 5, Actor: "user:ab", Action: "c.d", Detail: "ef", PrevHash: audit.Genesis}
	variants := []func(e *store.AuditEntry){
		func(e *store.AuditEntry) { e.Actor, e.Action = "user:a", "bc.d" },
		func(e *store.AuditEntry) { e.Action, e.Detail = "c.de", "f" },
		func(e *store.AuditEntry) { e.TipID, e.Detail = "e", "f" },
		func(e *store.AuditEntry) { e.Detail, e.PrevHash = "ef"+audit.Genesis[:1], audit.Genesis[1:] },
		func(e *store.AuditEntry) { e.Seq, e.At = 5, 2 },
		func(e *store.AuditEntry) { e.At = -5 },
	}
	seen := map[string]int{audit.Hash(base): -1}
	for i, change := range variants {
		e := base
		change(&e)
		h := audit.Hash(e)
		if j, dup := seen[h]; dup {
			t.Fatalf("variant %d hashes like %d", i, j)
		}
		seen[h] = i
	}
}

func TestEventValidate(t *testing.T) {
	ok := audit.Event{Actor: "user:0123", Action: "tip.status", TipID: "abcd", Detail: "new -> triage"}
	tests := []struct {
		name   string
		change func(e *audit.Event)
		valid  bool
	}{
		{"ok", func(*audit.Event) {}, true},
		{"no report", func(e *audit.Event) { e.TipID = "" }, true},
		{"non-Latin detail", func(e *audit.Event) { e.Detail = "분석관 지정" }, true},
		{"no actor", func(e *audit.Event) { e.Actor = "" }, false},
		{"no action", func(e *audit.Event) { e.Action = "" }, false},
		{"upper-case action", func(e *audit.Event) { e.Action = "Tip.Read" }, false},
		{"action with space", func(e *audit.Event) { e.Action = "tip read" }, false},
		{"long detail", func(e *audit.Event) { e.Detail = strings.Repeat("x", audit.MaxDetail+1) }, false},
		{"newline in detail", func(e *audit.Event) { e.Detail = "ok\naudit log intact" }, false},
		{"line separator in actor", func(e *audit.Event) { e.Actor = "user:\u2028x" }, false},
		{"invalid UTF-8", func(e *audit.Event) { e.Detail = "\xff" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			err := e.Validate()
			if (err == nil) != tt.valid || (err != nil && !errors.Is(err, audit.ErrInvalidEvent)) {
				t.Fatalf("Validate = %v, want valid %v", err, tt.valid)
			}
		})
	}
}

func TestNewRefusesAShortKey(t *testing.T) {
	if _, err := audit.New(nil, make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tipline-audit-example")
	defer os.RemoveAll(dir)
	st, _ := store.Open(ctx, dir, "")
	defer st.Close()
	key := make([]byte, 32) // in a real installation: install.Load(dir) ... keys.AuditKey

	log, err := audit.New(st, key)
	if err != nil {
		panic(err)
	}
	log.Record(ctx, audit.Event{Actor: "user:0123", Action: "login.ok"})
	log.Record(ctx, audit.Event{Actor: "user:0123", Action: "tip.read", TipID: "abcd"})

	rep, err := log.Verify(ctx, "")
	fmt.Println(rep.Entries, err)
	// Output: 2 <nil>
}
