package translit

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Analysis is the result of normalising a name: the normalised text, its
// tokens, and the legal-form words and vessel prefixes that were removed
// (in normalised form), so that a hit can explain what was ignored.
type Analysis struct {
	Text    string   // tokens joined by single spaces
	Tokens  []string // words, hyphenated parts joined ("song-jin" → "songjin")
	Removed []string // dropped legal-form words and vessel prefixes
}

// Normalize returns the comparison form of a name: see Analyze.
func Normalize(s string) string { return Analyze(s).Text }

// Analyze normalises a name in any script:
//   - Unicode NFKC, so fullwidth and compatibility forms become ordinary
//     letters, then case folding, and traditional Han characters folded to
//     simplified (FoldHan);
//   - diacritics stripped from Latin letters ("Đặng" → "dang") and ё read as
//     е; other scripts keep their marks, since there they change the letter
//     (й is not и);
//   - hyphens and apostrophes removed so the parts join ("Song-jin",
//     "Sa'd" → "songjin", "sad"), except a hyphen next to a legal form,
//     which separates ("Tamas-Company" → "tamas"); other punctuation and
//     symbols separate words; runs of spaces collapse;
//   - legal-form words (co, ltd, corporation, trading, jsc, ooo, 有限公司,
//     주식회사, общество с ограниченной ответственностью…) and a leading
//     vessel prefix (m/v, mv, mt, m.t., s.s.…) removed and listed in Removed,
//     unless nothing else would be left.
//
// Normalize is idempotent: the steps above are applied until the text no
// longer changes. One pass is enough for every name in the lists; a second
// only changes inputs in which one step uncovers work for an earlier one (a
// mark that follows a letter once the joiner between them goes, a prefix
// once a legal form goes), which fuzzing kept finding one kind at a time.
func Analyze(s string) Analysis {
	a := analyzeOnce(s)
	for range maxPasses - 1 {
		again := analyzeOnce(a.Text)
		if again.Text == a.Text {
			break
		}
		again.Removed = append(a.Removed, again.Removed...)
		a = again
	}
	return a
}

// maxPasses bounds the passes of Analyze; every input fuzzing has found
// settles in two.
const maxPasses = 4

// analyzeOnce is one pass of the steps of Analyze.
func analyzeOnce(s string) Analysis {
	s = FoldHan(foldLetters(s))
	tokens, prefix := splitVesselPrefix(tokenize(s))
	kept, removed := dropLegalForms(tokens)
	// A legal form dropped from the front can uncover a prefix ("SA SS
	// Ivan", "SS SA SS Ivan"): a second pass would take it, so this one does.
	if rest, more := splitVesselPrefix(kept); more != "" {
		kept, prefix = rest, strings.TrimSpace(prefix+" "+more)
	}
	if prefix != "" {
		removed = append([]string{prefix}, removed...)
	}
	return Analysis{Text: strings.Join(kept, " "), Tokens: kept, Removed: removed}
}

var folder = cases.Fold()

// specialLatin are Latin letters with no Unicode decomposition that still
// have a plain-ASCII reading in names.
var specialLatin = map[rune]string{
	'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'đ': "d", 'ð': "d", 'ł': "l",
	'ı': "i", 'þ': "th", 'ŋ': "ng", 'ħ': "h",
}

// foldLetters applies NFKC, case folding and diacritic stripping.
func foldLetters(s string) string {
	// Bytes that are not UTF-8 become U+FFFD before anything else: NFKC
	// leaves the character after such a byte unnormalised ("\xf2ʱ" kept
	// "ʱ", which a second pass made "ɦ").
	s = strings.ToValidUTF8(s, "\uFFFD")
	// ToLower after folding: x/text's Fold maps Cherokee small letters to
	// capitals and back on a second pass, which would break idempotence.
	s = strings.ToLower(folder.String(norm.NFKC.String(s)))
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	var prev rune
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			// Drop marks on Latin letters, and the diaeresis of ё.
			if unicode.Is(unicode.Latin, prev) || (prev == 'е' && r == '\u0308') {
				continue
			}
		}
		if rep, ok := specialLatin[r]; ok {
			b.WriteString(rep)
		} else {
			b.WriteRune(r)
		}
		// Joiners vanish in tokenize, and so do the dots and slashes it
		// keeps inside short words ("m.t."), so a mark after "a'" or "a."
		// will follow the "a" on a second pass: judge it by the letter now.
		if !unicode.Is(unicode.Mn, r) && !isJoiner(r) && r != '.' && r != '/' {
			prev = r
		}
	}
	return norm.NFC.String(b.String())
}

// isJoiner reports characters that join the parts of one word.
func isJoiner(r rune) bool {
	switch r {
	case '-', '\'', '’', '‘', 'ʼ', 'ʻ', '`', '´', '‐', '‑', '·', '・':
		return true
	}
	return false
}

// tokenize splits folded text into words. A slash or dot between single
// letters is kept as part of the word so vessel prefixes like "m/v" and
// "m.t." can be recognised; splitVesselPrefix removes them afterwards and
// dropLegalForms strips the rest.
func tokenize(s string) []string {
	var tokens []string
	var cur strings.Builder
	var hyphens []int // byte offsets in cur where a hyphen joined two parts
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, splitHyphenLegalForm(cur.String(), hyphens)...)
			cur.Reset()
		}
		hyphens = hyphens[:0]
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			cur.WriteRune(r)
		case isHyphen(r) && cur.Len() > 0:
			hyphens = append(hyphens, cur.Len())
		case isJoiner(r):
		case (r == '/' || r == '.') && cur.Len() > 0 && cur.Len() <= 4:
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	// Dots and slashes kept above survive only in prefixes; elsewhere
	// they separate ("j.s.c." → "jsc" is handled as a legal form).
	out := tokens[:0]
	for _, t := range tokens {
		t = strings.Map(func(r rune) rune {
			if r == '/' || r == '.' {
				return -1
			}
			return r
		}, t)
		// With the joiners and dots gone, marks they parted meet: put them
		// in canonical order now, as a second pass would.
		t = norm.NFC.String(t)
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// hyphenLegalForms are the legal-form words that a hyphen may glue to a
// name ("TAMAS-COMPANY", "AKVAMARIN-LIMITED LIABILITY COMPANY",
// "OOO-AGRO-REGION"): there the hyphen separates, so that the legal form
// can be removed. Short forms that begin ordinary words ("co-operative",
// "ao", "ag") are left out.
var hyphenLegalForms = map[string]bool{
	"company": true, "corporation": true, "limited": true, "trading": true, "ltd": true,
	"llc": true, "jsc": true, "cjsc": true, "ojsc": true, "pjsc": true, "ooo": true,
	"zao": true, "oao": true, "pao": true, "inc": true, "gmbh": true, "plc": true,
	"sa": true,
}

// splitHyphenLegalForm splits a hyphen-joined word at the hyphens next to
// a legal-form part, and joins the other parts as before ("rt-inform-
// limited" → "rtinform", "limited").
func splitHyphenLegalForm(w string, hyphens []int) []string {
	if len(hyphens) == 0 {
		return []string{w}
	}
	var parts []string
	prev := 0
	for _, h := range hyphens {
		parts = append(parts, w[prev:h])
		prev = h
	}
	parts = append(parts, w[prev:])
	legal := false
	for _, p := range parts {
		legal = legal || hyphenLegalForms[p]
	}
	if !legal {
		return []string{w}
	}
	var out []string
	var cur strings.Builder
	for _, p := range parts {
		if hyphenLegalForms[p] {
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			out = append(out, p)
			continue
		}
		cur.WriteString(p)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// vesselPrefixes are the abbreviations written before a ship's name, after
// dots and slashes are removed ("m/v", "m.v." → "mv").
var vesselPrefixes = map[string]bool{"mv": true, "mt": true, "ss": true, "ms": true, "mts": true, "mk": true, "тх": true, "мт": true}

func splitVesselPrefix(tokens []string) ([]string, string) {
	// Every leading prefix ("ss ss 0"): one left would be taken by a
	// second pass.
	var prefixes []string
	for len(tokens) > 1 && vesselPrefixes[tokens[0]] {
		prefixes = append(prefixes, tokens[0])
		tokens = tokens[1:]
	}
	return tokens, strings.Join(prefixes, " ")
}
