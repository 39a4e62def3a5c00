package receipt_test

import (
	"errors"
	"strings"
	"testing"

	"tipline/internal/receipt"
	"tipline/internal/seal"
)

// The entropy of each form is computed from the word list in words_test.go.
func TestNewReceiptsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		for _, form := range []receipt.Form{receipt.Words, receipt.Digits} {
			r, err := receipt.New(form)
			if err != nil {
				t.Fatal(err)
			}
			if seen[r.String()] {
				t.Fatalf("receipt %q made twice", r)
			}
			seen[r.String()] = true
		}
	}
}

func TestFormFollowsLanguage(t *testing.T) {
	en, _ := receipt.New(receipt.FormFor("en"))
	if len(strings.Fields(en.String())) != 8 {
		t.Errorf("English receipt %q is not eight words", en)
	}
	for _, lang := range []string{"ko", "zh", "ru"} {
		r, _ := receipt.New(receipt.FormFor(lang))
		groups := strings.Fields(r.String())
		if len(groups) != 8 || len(groups[0]) != 4 || strings.Trim(r.String(), "0123456789 ") != "" {
			t.Errorf("%s receipt %q is not eight groups of four digits", lang, r)
		}
	}
}

func TestParseAcceptsAnyCaseSpacingAndHyphenation(t *testing.T) {
	for _, form := range []receipt.Form{receipt.Words, receipt.Digits} {
		r, _ := receipt.New(form)
		shown := r.String()
		variants := map[string]string{
			"as shown":        shown,
			"upper case":      strings.ToUpper(shown),
			"hyphenated":      strings.ReplaceAll(shown, " ", "-"),
			"no spaces":       strings.ReplaceAll(shown, " ", ""),
			"extra spaces":    "  " + strings.ReplaceAll(shown, " ", "   ") + "\n",
			"full-width form": toFullWidth(shown),
		}
		for name, typed := range variants {
			t.Run(name, func(t *testing.T) {
				readings, err := receipt.Parse(typed)
				if err != nil {
					t.Fatalf("Parse(%q): %v", typed, err)
				}
				found := false
				for _, got := range readings {
					found = found || got.LookupID() == r.LookupID()
				}
				if !found {
					t.Fatalf("Parse(%q) did not give back the receipt %q", typed, shown)
				}
			})
		}
	}
}

func TestParseRejectsWithUsefulErrors(t *testing.T) {
	digits, _ := receipt.New(receipt.Digits)
	d := []byte(strings.ReplaceAll(digits.String(), " ", ""))
	d[3] = '0' + (d[3]-'0'+1)%10
	tests := []struct {
		typed string
		want  error
	}{
		{"", receipt.ErrNotAReceipt},
		{"hello 1234", receipt.ErrNotAReceipt},
		{"abacus abacus abacus", receipt.ErrTypo},
		{"abacus abacus abacus abacus abacus abacus abacus zzzzzz", receipt.ErrTypo},
		{"1234 5678", receipt.ErrTypo},
	}
	for _, tt := range tests {
		if _, err := receipt.Parse(tt.typed); !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.typed, err, tt.want)
		}
	}
	// One digit changed: the check digit catches it nine times in ten, so
	// try the same change on many receipts and expect most to be caught.
	caught := 0
	for range 100 {
		r, _ := receipt.New(receipt.Digits)
		d := []byte(strings.ReplaceAll(r.String(), " ", ""))
		d[5] = '0' + (d[5]-'0'+3)%10
		if _, err := receipt.Parse(string(d)); errors.Is(err, receipt.ErrTypo) {
			caught++
		}
	}
	if caught < 75 {
		t.Errorf("check digit caught only %d of 100 typos", caught)
	}
}

func TestLookupIDAndWrapDifferPerReceipt(t *testing.T) {
	a, _ := receipt.New(receipt.Words)
	b, _ := receipt.New(receipt.Words)
	if a.LookupID() == b.LookupID() {
		t.Fatal("two receipts share a lookup id")
	}
	if strings.Contains(a.LookupID(), strings.Fields(a.String())[0]) {
		t.Fatal("lookup id reveals a receipt word")
	}
	tipKey, _ := seal.NewKey()
	wrapped, err := a.Wrap(tipKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Unwrap(wrapped); !errors.Is(err, seal.ErrCannotOpen) {
		t.Fatalf("another receipt opened the report's key: %v", err)
	}
	// The source types the receipt back in another form: it still opens.
	typed, err := receipt.Parse(strings.ToUpper(strings.ReplaceAll(a.String(), " ", "-")))
	if err != nil {
		t.Fatal(err)
	}
	got, err := typed[0].Unwrap(wrapped)
	if err != nil || got.String() != tipKey.String() {
		t.Fatalf("the receipt as typed did not open the report's key: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("abacus abdomen abdominal abide abiding ability ablaze able")
	f.Add("1234 5678 9012 3456 7890 1234 5678 9012")
	f.Add(strings.Repeat("a", 80))
	f.Fuzz(func(t *testing.T, s string) {
		readings, err := receipt.Parse(s)
		if err == nil && len(readings) == 0 {
			t.Fatal("no error and no reading")
		}
		for _, r := range readings {
			again, err := receipt.Parse(r.String())
			if err != nil || len(again) == 0 {
				t.Fatalf("a reading %q does not parse back: %v", r, err)
			}
		}
	})
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
			c += 0xFEE0
		}
		b.WriteRune(c)
	}
	return b.String()
}

func TestDrawnWordsSpanTheListWithoutSeparators(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		r, _ := receipt.New(receipt.Words)
		for _, w := range strings.Fields(r.String()) {
			if strings.ContainsAny(w, "- ") {
				t.Fatalf("word %q keeps a separator", w)
			}
			seen[w] = true
		}
	}
	// 16,000 draws from 7,776 words should reach well over 6,000 of them;
	// far fewer would mean words collapsed together.
	if len(seen) < 6000 {
		t.Fatalf("only %d distinct words in 16,000 draws", len(seen))
	}
}
