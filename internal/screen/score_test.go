package screen_test

import (
	"testing"

	"tipline/internal/screen"
)

// TestScoringRules checks the matcher's rules on the real snapshots: a part
// of a name found through its rare words, exact ship numbers, and Han or
// Hangul names that need every syllable, in order.
func TestScoringRules(t *testing.T) {
	_, ix := snapshots(t)
	hit := func(q, key string) *screen.Hit {
		r := ix.Screen(q, screen.Options{Limit: -1})
		for i, h := range r.Hits {
			if string(h.Source)+":"+h.ID == key {
				return &r.Hits[i]
			}
		}
		return nil
	}
	for _, tc := range []struct {
		query, key string
		want       bool
	}{
		{"Chon Myong 1", "un-vessels:8712362", true},
		{"Chon Myong 2", "un-vessels:8712362", false}, // another number is another ship
		{"최룡해", "ofac:23213", true},                   // Choe Ryong Hae
		{"김정은", "ofac:20157", true},                   // Kim Jong Un
		{"은정 김", "ofac:20157", false},                 // Eun Jeong Kim: the same syllables, not the same name
		{"Frank D. Lucas", "", false},                 // an initial does not split a name into "Lucas"
		{"John A. Yarmuth", "", false},                // nor the initial "A." (not the article) into "John"
	} {
		if tc.key == "" {
			if r := ix.Screen(tc.query, screen.Options{}); len(r.Hits) != 0 {
				t.Errorf("%q: hits %+v, want none", tc.query, r.Hits)
			}
			continue
		}
		if got := hit(tc.query, tc.key) != nil; got != tc.want {
			t.Errorf("%q hits %s: %v, want %v", tc.query, tc.key, got, tc.want)
		}
	}
	// Held out, a two-word part of a three-word name is found through its
	// words' weight.
	var found bool
	for _, h := range ix.NameHitsHoldingOut("Dawood Ebrahim", "un:QDi.135", dawoodEbrahim(t)) {
		found = found || (h.ID == "QDi.135" && h.Score >= screen.DefaultThreshold)
	}
	if !found {
		t.Errorf("held-out %q does not find un:QDi.135", "Dawood Ebrahim")
	}
}

func dawoodEbrahim(t *testing.T) int {
	lists, _ := snapshots(t)
	for _, l := range lists {
		for _, e := range l.Entries {
			if e.Key() != "un:QDi.135" {
				continue
			}
			for i, n := range e.Names {
				if n.Text == "Dawood Ebrahim" {
					return i
				}
			}
		}
	}
	t.Skip("un:QDi.135 has no alias Dawood Ebrahim in this snapshot")
	return 0
}
