package ident

import (
	"fmt"
	"strings"
	"unicode"
)

// IMO is a ship's IMO number: seven ASCII digits whose last digit is the
// check digit. The zero value is not valid.
type IMO string

// String returns the conventional written form, "IMO 8914934".
func (n IMO) String() string { return "IMO " + string(n) }

// CompanyIMO is an IMO unique company and registered-owner identification
// number. It is also seven digits, but it is assigned from a different
// series and has no ship check digit, so it cannot be validated beyond its
// shape. The lists write it as "Company Number IMO 5341436" (OFAC) or after
// a company's name (UN); a tip may write "Company IMO 5341436" or
// "IMO 5341436 (company)".
type CompanyIMO string

// String returns "Company IMO 5341436".
func (n CompanyIMO) String() string { return "Company IMO " + string(n) }

// IMOCheckDigit returns the check digit of the first six digits of d: the
// digits weighted 7, 6, 5, 4, 3, 2 from the left, summed, modulo 10.
// d must hold at least six ASCII digits.
func IMOCheckDigit(d string) byte {
	sum := 0
	for i := range 6 {
		sum += int(d[i]-'0') * (7 - i)
	}
	return byte('0' + sum%10)
}

// ParseIMO reads a ship IMO number written as "IMO 8914934", "IMO8914934",
// "IMO no. 8914934", "IMO number: 8914934", "ИМО 8914934" or "8914934".
// It returns an error wrapping ErrNotIMO when s is not seven digits with an
// optional label, and a *CheckDigitError (wrapping ErrIMOCheckDigit) when
// the check digit is wrong, so that a form can ask the writer to check the
// number. A company number written with its label ("Company IMO …",
// "… (company)") is refused with ErrNotIMO: use ParseCompanyIMO.
func ParseIMO(s string) (IMO, error) {
	digits, company, err := imoDigits(s)
	if err != nil {
		return "", err
	}
	if company {
		return "", fmt.Errorf("%q is a company or owner number: %w", s, ErrNotIMO)
	}
	if want := IMOCheckDigit(digits); digits[6] != want {
		return "", &CheckDigitError{Digits: digits, Want: want}
	}
	return IMO(digits), nil
}

// ParseCompanyIMO reads a company or registered-owner IMO number in the
// same written forms as ParseIMO, with or without a "company" label. It
// checks only the shape: the series has no check digit. Seven digits alone
// are ambiguous — they may equally be a ship's number — which is why the
// caller must know from context (a list's field, a form's question) that a
// company is meant.
func ParseCompanyIMO(s string) (CompanyIMO, error) {
	digits, _, err := imoDigits(s)
	if err != nil {
		return "", err
	}
	return CompanyIMO(digits), nil
}

// imoDigits strips the labels ParseIMO accepts and returns the seven digits
// and whether a company label was present.
func imoDigits(s string) (digits string, company bool, err error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, suffix := range []string{"(company)", "(owner)", "(registered owner)"} {
		if strings.HasSuffix(t, suffix) {
			t, company = strings.TrimSpace(strings.TrimSuffix(t, suffix)), true
		}
	}
	for _, prefix := range []string{"company number", "company", "registered owner", "owner"} {
		if strings.HasPrefix(t, prefix) {
			t, company = strings.TrimSpace(strings.TrimPrefix(t, prefix)), true
			break
		}
	}
	t = trimIMOLabel(t)
	if len(t) != 7 || strings.IndexFunc(t, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", false, fmt.Errorf("%q: %w", truncate(s, 40), ErrNotIMO)
	}
	return t, company, nil
}

// imoLabels are the words that may introduce an IMO number, lower-cased.
var imoLabels = []string{"imo", "имо", "імо"}

// imoNumberWords may follow the label: "IMO no. 1234567", "ИМО номер …".
var imoNumberWords = []string{"number", "numbers", "num", "no", "nr", "номер", "번호", "编号", "編號", "号码", "號碼", "号", "號", "n°", "№", "#"}

// trimIMOLabel removes a leading "imo", an optional "number" word and the
// punctuation between them and the digits from lower-cased t.
func trimIMOLabel(t string) string {
	for _, l := range imoLabels {
		if strings.HasPrefix(t, l) {
			t = strings.TrimPrefix(t, l)
			break
		}
	}
	t = strings.TrimLeftFunc(t, isLabelPunct)
	for _, w := range imoNumberWords {
		if strings.HasPrefix(t, w) {
			t = strings.TrimLeftFunc(strings.TrimPrefix(t, w), isLabelPunct)
			break
		}
	}
	return t
}

func isLabelPunct(r rune) bool {
	return unicode.IsSpace(r) || r == '.' || r == ':' || r == '#' || r == '-' || r == '(' || r == ')' || r == '：'
}
