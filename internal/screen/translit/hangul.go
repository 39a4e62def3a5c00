package translit

import "strings"

// Hangul syllables U+AC00–U+D7A3 are composed arithmetically from 19
// initial consonants, 21 vowels and 28 finals (the first "no final"), so
// romanisation decomposes each syllable and looks up its three parts; no
// syllable table is needed.
const (
	hangulBase   = 0xAC00
	hangulLast   = 0xD7A3
	hangulVowels = 21
	hangulFinals = 28
)

// Revised Romanization of Korean (South Korea, 2000), syllable by syllable.
var (
	rrInitial = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	rrVowel   = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	rrFinal   = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// A McCune–Reischauer-like scheme as the DPRK and the sanctions lists write
// Korean names ("Kim Jong Un", "Choe Ryong Hae", "Pak Pong Ju"): ㅓ → o,
// ㅡ → u, voiceless initials k/t/p, ㅈ → j, ㄹ → r, without MR's breves and
// apostrophes (which Normalize would strip anyway).
var (
	mrInitial = [19]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"}
	mrVowel   = [21]string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	mrFinal   = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// Scheme selects a romanisation of Hangul.
type Scheme int

const (
	// RevisedRomanization is South Korea's official scheme: 김정은 → gim jeong eun.
	RevisedRomanization Scheme = iota
	// McCuneReischauer is the MR-like scheme of DPRK names on the lists:
	// 김정은 → kim jong un.
	McCuneReischauer
)

func isHangulSyllable(r rune) bool { return r >= hangulBase && r <= hangulLast }

// HasHangul reports whether s contains a Hangul syllable.
func HasHangul(s string) bool { return strings.IndexFunc(s, isHangulSyllable) >= 0 }

// RomanizeHangul writes each Hangul syllable of s in Latin letters with the
// given scheme, separated by spaces, since Korean names are written on the
// lists both syllable by syllable ("Kim Jong Un") and joined ("Kim
// Jong-un"); Keys adds the joined form. Other characters pass through, and
// the sound changes between syllables (신라 → Silla) are not applied,
// because names are romanised syllable by syllable in practice.
func RomanizeHangul(s string, scheme Scheme) string {
	ini, vow, fin := rrInitial, rrVowel, rrFinal
	if scheme == McCuneReischauer {
		ini, vow, fin = mrInitial, mrVowel, mrFinal
	}
	var b strings.Builder
	prevSyllable := false
	for _, r := range s {
		if !isHangulSyllable(r) {
			b.WriteRune(r)
			prevSyllable = false
			continue
		}
		if prevSyllable {
			b.WriteByte(' ')
		}
		n := int(r - hangulBase)
		b.WriteString(ini[n/(hangulVowels*hangulFinals)])
		b.WriteString(vow[n%(hangulVowels*hangulFinals)/hangulFinals])
		b.WriteString(fin[n%hangulFinals])
		prevSyllable = true
	}
	return b.String()
}
