package blind_test

import (
	"bytes"
	"slices"
	"testing"

	"tipline/internal/blind"
	"tipline/internal/tip"
)

var key = bytes.Repeat([]byte{7}, 32)

func TestReportsNamingTheSameThingsShareTokens(t *testing.T) {
	ix, err := blind.New(key)
	if err != nil {
		t.Fatal(err)
	}
	a := &tip.Report{
		Message: "Oil went to the tanker, IMO 8712362, paid to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
		People:  []string{"Kim Chol Su"},
	}
	b := &tip.Report{
		Vessels:   []tip.Vessel{{Name: "M/V Chon Myong 1", IMO: "8712362"}},
		Wallets:   []string{"BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ"},
		People:    []string{"Chol-Su KIM"},
		Companies: []string{"Korea Tangun Trading Corporation"},
	}
	ta, tb := ix.Tokens(blind.Terms(a)), ix.Tokens(blind.Terms(b))
	shared := 0
	for _, tok := range ta {
		if slices.Contains(tb, tok) {
			shared++
		}
	}
	// The IMO, the wallet, and the person (two of whose word-order
	// rotations meet).
	if shared != 4 {
		t.Fatalf("want the IMO, the wallet and the person shared, got %d shared tokens (%v vs %v)", shared, blind.Terms(a), blind.Terms(b))
	}
	other := ix.Tokens(blind.Terms(&tip.Report{People: []string{"Ri Myong Su"}, Vessels: []tip.Vessel{{IMO: "9191773"}}}))
	for _, tok := range other {
		if slices.Contains(ta, tok) {
			t.Fatal("an unrelated report shares a token")
		}
	}
}

func TestTypoedIdentifiersLinkNothing(t *testing.T) {
	terms := blind.Terms(&tip.Report{Vessels: []tip.Vessel{{IMO: "8712363"}}, Message: "IMO 8712363"})
	for _, term := range terms {
		if term.Kind == blind.KindIMO {
			t.Fatalf("an IMO with a wrong check digit became a term: %v", term)
		}
	}
}

func TestTokensDependOnTheKey(t *testing.T) {
	a, _ := blind.New(key)
	b, _ := blind.New(bytes.Repeat([]byte{8}, 32))
	term := blind.Term{Kind: blind.KindIMO, Value: "8712362"}
	if a.Token(term) == b.Token(term) {
		t.Fatal("tokens must not be computable without the key")
	}
	if _, err := blind.New([]byte("short")); err == nil {
		t.Fatal("a short key must be refused")
	}
}
