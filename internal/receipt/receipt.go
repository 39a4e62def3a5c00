// Package receipt makes and reads the receipts that let an anonymous source
// come back to their report.
//
// A receipt is the only thing that ties a source to a report, so it carries at
// least 100 bits of entropy and is shown once. It comes in two forms, chosen by
// the language of the page it is shown on:
//
//   - eight words from the EFF large word list, 7,775 once hyphens are
//     removed (8 × log2(7775) ≈ 103.4 bits), for English;
//   - 32 digits in groups of four: 31 random digits (≈ 103.0 bits) and a check
//     digit that catches nine typos in ten, for Korean, Chinese and Russian,
//     where typing English words is a burden.
//
// [Parse] accepts either form back in any case, spacing or hyphenation, and
// with full-width digits. From a receipt, [Receipt.LookupID] gives the id under
// which the report is found and [Receipt.Key] the key that opens it. Both use a
// fast KDF: with this much entropy a memory-hard hash would add nothing but a
// denial-of-service lever on the anonymous path (DESIGN.md, promise 4).
package receipt

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tipline/internal/seal"
)

const (
	wordCount   = 8
	digitGroups = 8
	groupSize   = 4
	randDigits  = digitGroups*groupSize - 1
)

var (
	// ErrNotAReceipt means the text is neither eight words nor 32 digits.
	ErrNotAReceipt = errors.New("a receipt is eight words or 32 digits")
	// ErrTypo means the text has the shape of a receipt but cannot be one.
	ErrTypo = errors.New("this receipt has a typo: please check each word or digit")
)

// Form is how a receipt is written.
type Form int

const (
	Words Form = iota
	Digits
)

// FormFor returns the receipt form suited to a page language.
func FormFor(lang string) Form {
	if lang == "en" || lang == "" {
		return Words
	}
	return Digits
}

// Receipt is a parsed or newly made receipt.
type Receipt struct {
	canonical string // the secret, in one normal form
	display   string // how it is shown to the source
}

// New makes a receipt of the given form from crypto/rand.
func New(form Form) (Receipt, error) {
	if form == Digits {
		n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(randDigits), nil))
		if err != nil {
			return Receipt{}, fmt.Errorf("failed to make receipt: %w", err)
		}
		digits := fmt.Sprintf("%0*s", randDigits, n.String())
		return fromDigits(digits + checkDigit(digits)), nil
	}
	list := words()
	picked := make([]string, wordCount)
	for i := range picked {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(list.words))))
		if err != nil {
			return Receipt{}, fmt.Errorf("failed to make receipt: %w", err)
		}
		picked[i] = list.words[n.Int64()]
	}
	return fromWords(picked), nil
}

func fromWords(w []string) Receipt {
	return Receipt{canonical: "words:" + strings.Join(w, "-"), display: strings.Join(w, " ")}
}

func fromDigits(d string) Receipt {
	groups := make([]string, 0, digitGroups)
	for i := 0; i < len(d); i += groupSize {
		groups = append(groups, d[i:i+groupSize])
	}
	return Receipt{canonical: "digits:" + d, display: strings.Join(groups, " ")}
}

// String returns the receipt as it is shown to the source.
func (r Receipt) String() string { return r.display }

// LookupID returns the id under which the receipt's report is stored. It
// reveals nothing of the receipt.
func (r Receipt) LookupID() string {
	id, err := hkdf.Key(sha256.New, []byte(r.canonical), nil, "tipline receipt lookup v1", 32)
	if err != nil {
		panic("receipt: hkdf: " + err.Error()) // only on an impossible length
	}
	return hex.EncodeToString(id)
}

// Wrap seals a report's key under the receipt, for the source.
func (r Receipt) Wrap(key *seal.Key) ([]byte, error) {
	return seal.WrapToSecret(key, []byte(r.canonical), "receipt")
}

// Unwrap opens a report's key wrapped by [Receipt.Wrap].
func (r Receipt) Unwrap(wrapped []byte) (*seal.Key, error) {
	return seal.UnwrapWithSecret(wrapped, []byte(r.canonical), "receipt")
}

// Parse reads a receipt as a source typed it. Words written without spaces can
// split in more than one way, so Parse returns every reading (at most a few);
// the caller tries each.
func Parse(s string) ([]Receipt, error) {
	s = norm.NFKC.String(s)
	var letters, digits strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case unicode.IsLetter(c):
			letters.WriteRune(unicode.ToLower(c))
		}
	}
	switch {
	case letters.Len() == 0 && digits.Len() == digitGroups*groupSize:
		d := digits.String()
		if checkDigit(d[:randDigits]) != d[randDigits:] {
			return nil, ErrTypo
		}
		return []Receipt{fromDigits(d)}, nil
	case digits.Len() == 0 && letters.Len() > 0:
		readings := words().split(letters.String(), wordCount)
		if len(readings) == 0 {
			return nil, ErrTypo
		}
		out := make([]Receipt, len(readings))
		for i, w := range readings {
			out[i] = fromWords(w)
		}
		return out, nil
	case digits.Len() > 0 && letters.Len() == 0:
		return nil, ErrTypo
	}
	return nil, ErrNotAReceipt
}

// checkDigit derives one digit from the others. A hash rather than a weighted
// sum, so that any change, not just a single-digit one, is caught nine times
// in ten.
func checkDigit(d string) string {
	sum := sha256.Sum256([]byte("tipline receipt check v1:" + d))
	return string(rune('0' + int(sum[0])%10))
}
