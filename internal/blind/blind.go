// Package blind is Tipline's keyed blind index: search without plaintext.
//
// From a report, [Terms] takes the things worth linking on — ship IMO
// numbers, MMSIs, wallet addresses and normalised names of ships, companies
// and people — and an [Index] turns each into an HMAC token under a key kept
// in the key file, outside the database. The desk finds reports that name the
// same ship or wallet by comparing tokens, and a new sanctions-list version is
// checked against old reports by computing the tokens of its identifiers —
// all without opening a report. A database thief sees only which reports
// share a token, never what it stands for, and cannot test guesses without
// the key.
package blind

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sort"
	"strings"

	"tipline/internal/screen/ident"
	"tipline/internal/screen/translit"
	"tipline/internal/tip"
)

// Kind says what a term is.
type Kind string

const (
	KindIMO    Kind = "imo"
	KindMMSI   Kind = "mmsi"
	KindWallet Kind = "wallet"
	KindName   Kind = "name"
)

// Term is one normalised thing a report names.
type Term struct {
	Kind  Kind
	Value string
}

// Index computes tokens under one key.
type Index struct{ key []byte }

// New returns an index keyed by key (at least 32 bytes, from the key file).
func New(key []byte) (*Index, error) {
	if len(key) < 32 {
		return nil, errors.New("blind-index key is shorter than 32 bytes: the key file is damaged")
	}
	return &Index{key: key}, nil
}

// Token returns the term's token: 128 bits of HMAC-SHA-256, hex.
func (ix *Index) Token(t Term) string {
	m := hmac.New(sha256.New, ix.key)
	m.Write([]byte("tipline blind index v1\x00" + string(t.Kind) + "\x00" + t.Value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Tokens returns the distinct tokens of terms, sorted.
func (ix *Index) Tokens(terms []Term) []string {
	set := map[string]bool{}
	for _, t := range terms {
		set[ix.Token(t)] = true
	}
	out := make([]string, 0, len(set))
	for tok := range set {
		out = append(out, tok)
	}
	sort.Strings(out)
	return out
}

// Terms returns what a report names, from its structured fields and its
// text. Identifiers that fail validation (a wrong IMO check digit) are left
// out: a typo must not link two reports.
func Terms(r *tip.Report) []Term {
	var out []Term
	add := func(k Kind, v string) {
		if v != "" {
			out = append(out, Term{k, v})
		}
	}
	for _, v := range r.Vessels {
		if imo, err := ident.ParseIMO(v.IMO); err == nil {
			add(KindIMO, strings.TrimPrefix(imo.String(), "IMO "))
		}
		if mmsi, err := ident.ParseMMSI(v.MMSI); err == nil {
			add(KindMMSI, string(mmsi))
		}
		addNames(&out, v.Name, false)
	}
	for _, w := range r.Wallets {
		if wallet, err := ident.ParseWallet(w); err == nil {
			add(KindWallet, wallet.Address)
		}
	}
	for _, c := range r.Companies {
		addNames(&out, c, false)
	}
	for _, p := range r.People {
		addNames(&out, p, true)
	}
	for _, text := range []string{r.Message, r.Where} {
		for _, f := range ident.Extract(text) {
			if f.Warning != nil {
				continue
			}
			switch f.Type {
			case ident.TypeIMO:
				add(KindIMO, f.Value)
			case ident.TypeMMSI:
				add(KindMMSI, f.Value)
			case ident.TypeWallet:
				add(KindWallet, f.Value)
			}
		}
	}
	return out
}

// maxRotations bounds the terms one person's name adds.
const maxRotations = 5

// addNames adds a name's terms. Spacing and hyphenation vary ("Chol-Su",
// "Chol Su") and so does Korean romanisation ("Cheol", "Chol"), so a name is
// compared folded (translit.KoreanKey) and without spaces. A person's name
// also varies in word order ("Kim Chol Su", "Chol-Su KIM"): every rotation of
// its words is a term, so family-name-first and -last forms meet.
func addNames(out *[]Term, name string, person bool) {
	words := strings.Fields(translit.KoreanKey(translit.Normalize(name)))
	if len(words) == 0 {
		return
	}
	rotations := 1
	if person {
		rotations = min(len(words), maxRotations)
	}
	for i := range rotations {
		rotated := append(append([]string(nil), words[i:]...), words[:i]...)
		*out = append(*out, Term{KindName, strings.Join(rotated, "")})
	}
}
