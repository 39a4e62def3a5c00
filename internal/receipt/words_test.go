package receipt

import (
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/sethvargo/go-diceware/diceware"
)

// asTyped is a word as Parse reads it whatever the source typed around its
// letters: hyphens, spaces and case do not count.
func asTyped(w string) string {
	return strings.Map(func(c rune) rune {
		if !unicode.IsLetter(c) {
			return -1
		}
		return unicode.ToLower(c)
	}, w)
}

// TestReceiptsCarryAtLeast100Bits computes the entropy of both forms from
// what New draws from. Words are read back with any hyphenation, so two
// words of the list that are equal once read that way are one word drawn
// twice as often: the list must hold none, and the entropy counts the
// distinct words only.
func TestReceiptsCarryAtLeast100Bits(t *testing.T) {
	list := words().words
	distinct := map[string]bool{}
	for _, w := range list {
		if distinct[asTyped(w)] {
			t.Errorf("%q is in the list twice once hyphens are removed", w)
		}
		distinct[asTyped(w)] = true
	}
	// Every word of the EFF list can still be drawn, in its hyphen-free form.
	eff, seen := diceware.WordListEffLarge(), 0
	for roll := range 66667 {
		w := eff.WordAt(roll)
		if w == "" {
			continue
		}
		seen++
		if !distinct[asTyped(w)] {
			t.Errorf("EFF word %q is missing from the list", w)
		}
	}
	if seen != 7776 {
		t.Fatalf("read %d EFF words, want 7776", seen)
	}
	if bits := wordCount * math.Log2(float64(len(distinct))); bits < 100 {
		t.Errorf("word receipts carry %.1f bits (%d words of %d distinct)", bits, wordCount, len(distinct))
	} else {
		t.Logf("word receipts: %d of %d distinct words, %.2f bits", wordCount, len(distinct), bits)
	}
	if bits := randDigits * math.Log2(10); bits < 100 {
		t.Errorf("digit receipts carry %.1f bits", bits)
	}
}
