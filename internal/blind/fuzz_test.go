package blind_test

import (
	"slices"
	"strings"
	"testing"

	"tipline/internal/blind"
	"tipline/internal/screen/ident"
	"tipline/internal/screen/translit"
	"tipline/internal/tip"
)

// FuzzTerms feeds what a source typed into the fields of a report to Terms:
// every term it returns is a valid identifier or a name without spaces, and a
// person named with their words in another order is the same person.
func FuzzTerms(f *testing.F) {
	f.Add("Oil went to the tanker, IMO 8712362, paid to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "M/V Chon Myong 1", "8712362", "445112000",
		"Korea Tangun Trading Corporation", "Kim Chol Su", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 1)
	f.Add("", "", "IMO 8712363", "MMSI 1", "", "김 정은", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 2)
	f.Fuzz(func(t *testing.T, message, vessel, imo, mmsi, company, person, wallet string, rotate int) {
		r := &tip.Report{Message: message, Where: message, Vessels: []tip.Vessel{{Name: vessel, IMO: imo, MMSI: mmsi}},
			Companies: []string{company}, People: []string{person}, Wallets: []string{wallet}}
		terms := blind.Terms(r)
		if again := blind.Terms(r); !slices.Equal(terms, again) {
			t.Fatalf("Terms differ between two calls: %v, %v", terms, again)
		}
		for _, term := range terms {
			var err error
			switch term.Kind {
			case blind.KindIMO:
				var n ident.IMO
				if n, err = ident.ParseIMO(term.Value); err == nil && strings.TrimPrefix(n.String(), "IMO ") != term.Value {
					t.Fatalf("IMO term %q is not in its normal form %q", term.Value, n)
				}
			case blind.KindMMSI:
				var m ident.MMSI
				if m, err = ident.ParseMMSI(term.Value); err == nil && string(m) != term.Value {
					t.Fatalf("MMSI term %q is not in its normal form %q", term.Value, m)
				}
			case blind.KindWallet:
				var w ident.Wallet
				if w, err = ident.ParseWallet(term.Value); err == nil && w.Address != term.Value {
					t.Fatalf("wallet term %q is not in its normal form %q", term.Value, w.Address)
				}
			case blind.KindName:
				if term.Value == "" || strings.ContainsFunc(term.Value, func(r rune) bool { return r == ' ' }) {
					t.Fatalf("name term %q is empty or has spaces", term.Value)
				}
			default:
				t.Fatalf("term of unknown kind %q", term.Kind)
			}
			if err != nil {
				t.Fatalf("%s term %q is not valid: %v", term.Kind, term.Value, err)
			}
		}
		// The same person, words in another order — words as Terms reads
		// them: punctuation parts them too ("Chol-Su"), and a name of more
		// than five words is not promised every order.
		words := strings.Fields(translit.Normalize(person))
		if len(words) < 2 || len(words) > 5 {
			return
		}
		k := 1 + (rotate&0x7fffffff)%(len(words)-1)
		reordered := strings.Join(append(words[k:], words[:k]...), " ")
		a := blind.Terms(&tip.Report{People: []string{person}})
		b := blind.Terms(&tip.Report{People: []string{reordered}})
		if len(a) > 0 && !slices.ContainsFunc(a, func(x blind.Term) bool { return slices.Contains(b, x) }) {
			t.Fatalf("%q and %q share no term: %v, %v", person, reordered, a, b)
		}
	})
}
