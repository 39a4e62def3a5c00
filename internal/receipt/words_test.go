package receipt

import (
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/sethvargo/go-diceware/diceware"
	"golang.org/x/text/unicode/norm"
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

// FuzzParseReadsAnySpacing types a receipt back the ways a source might — any
// separators between the words (or none), any case — and checks that Parse
// gives the receipt among its readings.
func FuzzParseReadsAnySpacing(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), " ", uint8(0))
	f.Add([]byte("\x00\x00\x00\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00\x06\x00\x07"), "", uint8(0xff))
	f.Add([]byte("yoyoyoyoyoyoyoyo"), " - ", uint8(0x0f))
	f.Fuzz(func(t *testing.T, picks []byte, sep string, upper uint8) {
		// A separator is spaces, punctuation and symbols, also once compatibility
		// characters are folded as Parse folds them ("㋪" is a letter then), and
		// holds no combining mark, which would make a letter of its word's last.
		if len(picks) < 2*wordCount || strings.IndexFunc(norm.NFKC.String(sep), func(c rune) bool {
			return !unicode.IsSpace(c) && !unicode.IsPunct(c) && !unicode.IsSymbol(c)
		}) >= 0 {
			return
		}
		list := words().words
		picked := make([]string, wordCount)
		typed := make([]string, wordCount)
		for i := range picked {
			picked[i] = list[(int(picks[2*i])<<8|int(picks[2*i+1]))%len(list)]
			typed[i] = picked[i]
			if upper&(1<<i) != 0 {
				typed[i] = strings.ToUpper(typed[i])
			}
		}
		want := fromWords(picked)
		readings, err := Parse(strings.Join(typed, sep))
		if err != nil {
			t.Fatalf("Parse(%q): %v", strings.Join(typed, sep), err)
		}
		for _, r := range readings {
			if r.canonical == want.canonical {
				return
			}
		}
		t.Fatalf("Parse(%q) gave %d readings, none of them %q", strings.Join(typed, sep), len(readings), want.display)
	})
}
