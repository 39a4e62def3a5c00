// Package visible shows text that could hide or reorder itself.
//
// A name someone else chose — a file name, a metadata value, a key's name —
// may carry characters that are not drawn at all or that change the order in
// which the characters around them are drawn: a right-to-left override makes
// "invoice\u202Etxt.exe" read as "invoiceexe.txt". Escape writes every such
// character as a visible \uXXXX escape, so what a reader sees is what the
// name holds; Hidden tells whether a string holds any.
//
// Characters escaped: controls (C0, DEL, C1), format characters (bidirectional
// embeddings, overrides, isolates and marks, the Arabic letter mark,
// zero-width spaces and joiners, the byte order mark, invisible operators,
// tag characters...), the line and paragraph separators, and the Hangul
// fillers, which are letters drawn as nothing. Invalid UTF-8 becomes U+FFFD.
// Other text, in any script, is left as it is.
package visible

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hides reports whether r is drawn as nothing or changes the direction of
// the text around it.
func Hides(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0: // Hangul fillers
		return true
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// Hidden reports whether s holds a character that Escape would escape, or
// invalid UTF-8.
func Hidden(s string) bool {
	return !utf8.ValidString(s) || strings.IndexFunc(s, Hides) >= 0
}

// Escape returns s with every character that hides or reorders text written
// as \uXXXX (\UXXXXXXXX above the Basic Multilingual Plane), and invalid
// UTF-8 as U+FFFD. Its result holds no such character: escaping twice
// changes nothing more.
func Escape(s string) string {
	if !Hidden(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case !Hides(r):
			b.WriteRune(r)
		case r > 0xFFFF:
			fmt.Fprintf(&b, `\U%08X`, r)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	return b.String()
}
