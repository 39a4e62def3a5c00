package ident

import (
	"fmt"
	"strings"
)

// ParseCallSign normalises a radio call sign for comparison: upper case,
// without spaces, hyphens, dots or slashes ("hm-ab 3" → "HMAB3"), with an
// optional "call sign" label removed. ITU call signs are 3 to 7 letters and
// digits after that; anything else wraps ErrNotCallSign. Call signs carry no
// checksum, so a typo cannot be told from another ship's call sign.
func ParseCallSign(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	for _, label := range []string{"CALL SIGN", "CALLSIGN", "CALL-SIGN"} {
		if strings.HasPrefix(t, label) {
			t = strings.TrimLeft(t[len(label):], " :.")
			break
		}
	}
	var b strings.Builder
	letters := 0
	for _, r := range t {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '/':
		case r >= 'A' && r <= 'Z':
			letters++
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", fmt.Errorf("%q: %w", truncate(s, 40), ErrNotCallSign)
		}
	}
	out := b.String()
	// Every ITU prefix contains at least one letter, so all-digit strings
	// are numbers, not call signs.
	if len(out) < 3 || len(out) > 7 || letters == 0 {
		return "", fmt.Errorf("%q: %w", truncate(s, 40), ErrNotCallSign)
	}
	return out, nil
}
