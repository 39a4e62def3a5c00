package ident

import (
	"errors"
	"strings"
)

// Type is the kind of identifier Extract found.
type Type int

// Identifier types.
const (
	TypeIMO        Type = iota + 1 // ship IMO number, check digit valid
	TypeCompanyIMO                 // company or registered-owner IMO number
	TypeMMSI
	TypeCallSign
	TypeWallet
)

var typeNames = map[Type]string{TypeIMO: "imo", TypeCompanyIMO: "company-imo",
	TypeMMSI: "mmsi", TypeCallSign: "call-sign", TypeWallet: "wallet"}

func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return "unknown"
}

// Found is one identifier in a text.
type Found struct {
	Type Type
	// Value is the normalised identifier: seven digits for IMO numbers,
	// nine for MMSIs, the Wallet.Address form for wallets. When Warning is
	// nil, Value re-validates with the matching Parse function.
	Value string
	// Currency is the currency code for wallets (a guess from the form
	// when Warning is set).
	Currency string
	// Raw is the text as written, and Start and End its byte offsets in
	// the text: text[Start:End] == Raw.
	Raw        string
	Start, End int
	// Warning is set when the text looks like an identifier of this type
	// but fails validation (a wrong IMO check digit, an invalid wallet
	// checksum, an MMSI that is no ship's). Such a Found must be shown to
	// the writer or the analyst, and must never be used as a match.
	Warning error
}

// Extract finds IMO numbers, MMSIs, labelled call signs and wallet
// addresses (bare or as payment URIs) in free text in any language. It
// reads only ASCII letters and digits as identifier characters, so the
// text around them may be in any script. Fullwidth digits are not read.
//
// The rules that keep ordinary numbers from becoming identifiers:
//   - Seven digits are an IMO number when labelled ("IMO", "ИМО", "IMO
//     no.", "IMO8914934"). A labelled number with a wrong check digit is
//     reported with a *CheckDigitError warning. Seven digits without a label
//     are an IMO number only when the check digit is right AND a vessel word
//     (ship, vessel, tanker, 선박, 船, судно, …) is within 80 bytes; otherwise
//     they are ignored, since one random number in ten passes the check.
//   - "Company IMO 1234567", "owner IMO …", "IMO 1234567 (company)" give
//     TypeCompanyIMO, which is never check-digit tested.
//   - Nine digits are an MMSI when labelled "MMSI" (with a warning if the
//     number is not a ship's), or when unlabelled, of a ship kind with an
//     allocated MID and near a vessel word.
//   - Call signs are read only after a "call sign" label.
//   - Runs of 25 or more letters and digits are tried as wallet addresses;
//     a run shaped like a known currency's address that fails its checksum
//     is reported with a warning wrapping ErrInvalidWallet.
func Extract(text string) []Found {
	var out []Found
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isAlnum(text[j]) {
			j++
		}
		if f, end, ok := extractURI(text, i, j); ok {
			out = append(out, f)
			i = end
			continue
		}
		if f, ok := classifyRun(text, i, j); ok {
			out = append(out, f)
		}
		i = j
	}
	return out
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// extractURI recognises "bitcoin:ADDR?amount=…" starting at the run
// text[i:j]; the URI runs to the next space or quoting character.
func extractURI(text string, i, j int) (Found, int, bool) {
	if j >= len(text) || text[j] != ':' {
		return Found{}, 0, false
	}
	if _, ok := uriSchemes[strings.ToLower(text[i:j])]; !ok {
		return Found{}, 0, false
	}
	end := j + 1
	for end < len(text) && text[end] > ' ' && text[end] < 0x7f && !strings.ContainsRune("\"'<>()[]{}", rune(text[end])) {
		end++
	}
	// A sentence's closing punctuation is not part of the URI.
	for end > j+1 && strings.ContainsRune(".,;:!", rune(text[end-1])) {
		end--
	}
	raw := text[i:end]
	w, err := ParseWallet(raw)
	if errors.Is(err, ErrNotWallet) {
		return Found{}, 0, false
	}
	f := Found{Type: TypeWallet, Raw: raw, Start: i, End: end}
	if err != nil {
		f.Value, f.Currency, f.Warning = stripURI(raw), uriSchemes[strings.ToLower(text[i:j])], err
	} else {
		f.Value, f.Currency = w.Address, w.Currency
	}
	return f, end, true
}

// classifyRun decides what, if anything, the letters and digits
// text[i:j] are.
func classifyRun(text string, i, j int) (Found, bool) {
	run := text[i:j]
	if inLongerNumber(text, i, j) {
		return Found{}, false
	}
	switch {
	case len(run) == 7 && isDigits(run):
		return classifyIMO(text, i, j, false)
	case len(run) == 10 && strings.EqualFold(run[:3], "imo") && isDigits(run[3:]) && !letterBefore(text, i):
		return classifyIMO(text, i, j, true)
	case len(run) == 9 && isDigits(run):
		return classifyMMSI(text, i, j)
	case len(run) >= 3 && len(run) <= 7 && hasLabel(text[:i], callSignLabels, nil):
		cs, err := ParseCallSign(run)
		if err != nil {
			return Found{}, false
		}
		return Found{Type: TypeCallSign, Value: cs, Raw: run, Start: i, End: j}, true
	case len(run) >= 25:
		return classifyWallet(run, i, j)
	}
	return Found{}, false
}

// inLongerNumber reports whether the run is part of a number written with
// separators, like "1,234,567" or "3.1415926".
func inLongerNumber(text string, i, j int) bool {
	sep := func(c byte) bool { return c == '.' || c == ',' }
	isD := func(c byte) bool { return c >= '0' && c <= '9' }
	return (i >= 2 && sep(text[i-1]) && isD(text[i-2])) || (j+1 < len(text) && sep(text[j]) && isD(text[j+1]))
}

func letterBefore(text string, i int) bool {
	return i > 0 && isAlnum(text[i-1])
}

func classifyIMO(text string, i, j int, glued bool) (Found, bool) {
	digits := text[j-7 : j]
	labelEnd := i
	labelled := glued
	if !glued {
		if n := imoLabelLen(text[:i]); n > 0 {
			labelled, labelEnd = true, i-n
		}
	}
	f := Found{Type: TypeIMO, Value: digits, Raw: text[i:j], Start: i, End: j}
	if labelled && isCompanyContext(text[:labelEnd], text[j:]) {
		f.Type = TypeCompanyIMO
		return f, true
	}
	if want := IMOCheckDigit(digits); digits[6] != want {
		if !labelled {
			return Found{}, false
		}
		f.Warning = &CheckDigitError{Digits: digits, Want: want}
		return f, true
	}
	if !labelled && !nearVesselWord(text, i, j) {
		return Found{}, false
	}
	return f, true
}

func classifyMMSI(text string, i, j int) (Found, bool) {
	m := MMSI(text[i:j])
	f := Found{Type: TypeMMSI, Value: string(m), Raw: text[i:j], Start: i, End: j}
	if hasLabel(text[:i], mmsiLabels, nil) {
		if _, err := ParseShipMMSI(string(m)); err != nil {
			f.Warning = err
		}
		return f, true
	}
	if m.IsShip() && nearVesselWord(text, i, j) {
		return f, true
	}
	return Found{}, false
}

func classifyWallet(run string, i, j int) (Found, bool) {
	w, err := ParseWallet(run)
	f := Found{Type: TypeWallet, Raw: run, Start: i, End: j}
	if err == nil {
		f.Value, f.Currency = w.Address, w.Currency
		return f, true
	}
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Currency == "unknown" || !hasLetterAndDigit(run) {
		return Found{}, false
	}
	f.Value, f.Currency, f.Warning = run, ae.Currency, err
	return f, true
}

func hasLetterAndDigit(s string) bool {
	letter, digit := false, false
	for i := 0; i < len(s); i++ {
		letter = letter || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
		digit = digit || (s[i] >= '0' && s[i] <= '9')
	}
	return letter && digit
}
