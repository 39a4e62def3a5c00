package listfmt_test

import (
	"strings"
	"testing"

	"tipline/internal/screen"
)

// TestModelValidate documents the invariants every parser's output keeps;
// List.Validate is what turns a parser bug into a refused import.
func TestModelValidate(t *testing.T) {
	person := func() screen.Entry {
		return screen.Entry{Source: screen.SourceOFAC, ID: "1", Kind: screen.KindPerson,
			Names: []screen.Name{{Text: "KIM, Chol", Quality: screen.NamePrimary}}}
	}
	tests := []struct {
		name   string
		change func(*screen.List)
		want   string // "" for valid
	}{
		{"valid", func(*screen.List) {}, ""},
		{"no id", func(l *screen.List) { l.Entries[0].ID = "" }, "entry has no id"},
		{"wallet kind", func(l *screen.List) { l.Entries[0].Kind = screen.KindWallet }, `unknown kind "wallet"`},
		{"alias first", func(l *screen.List) { l.Entries[0].Names[0].Quality = screen.NameAlias }, "first name is not a non-empty primary name"},
		{"two primaries", func(l *screen.List) {
			l.Entries[0].Names = append(l.Entries[0].Names, screen.Name{Text: "KIM", Quality: screen.NamePrimary})
		}, "empty or second primary name"},
		{"vessel without details", func(l *screen.List) { l.Entries[0].Kind = screen.KindVessel }, "vessel details do not match"},
		{"wallet without currency", func(l *screen.List) {
			l.Entries[0].Identifiers = []screen.Identifier{{Type: screen.IDWallet, Value: "1abc"}}
		}, "currency only and always on wallets"},
		{"empty identifier", func(l *screen.List) {
			l.Entries[0].Identifiers = []screen.Identifier{{Type: screen.IDIMO}}
		}, "empty imo identifier"},
		{"duplicate id", func(l *screen.List) { l.Entries = append(l.Entries, person()) }, "entry id 1 appears twice"},
		{"foreign entry", func(l *screen.List) { l.Entries[0].Source = screen.SourceUN }, `source "un" in a "ofac" list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &screen.List{Source: screen.SourceOFAC, Entries: []screen.Entry{person()}}
			tt.change(l)
			err := l.Validate()
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestModelCounts(t *testing.T) {
	l := &screen.List{Source: screen.SourceOFAC, Entries: []screen.Entry{
		{Kind: screen.KindPerson, Identifiers: []screen.Identifier{
			{Type: screen.IDWallet, Currency: "XBT", Value: "1a"}, {Type: screen.IDWallet, Currency: "ETH", Value: "0x1"},
		}},
		{Kind: screen.KindVessel},
	}}
	got := l.Counts()
	want := map[screen.Kind]int{screen.KindPerson: 1, screen.KindOrganization: 0, screen.KindVessel: 1, screen.KindWallet: 2}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("Counts()[%s] = %d, want %d", k, got[k], n)
		}
	}
}
