package screen

import "strings"

// otherReadings returns other ways to read a name, each scored like the
// name itself (the best score of an entry counts):
//   - a name written in two scripts at once ("Ibrahim Hassan Tali Asiri
//     (إبراهيم حسن طالع عسيري)", as the UN lists give original-script
//     names) is two names: each script's words are read alone, since
//     against a name in one script the other's words only count as missing;
//   - a legal form glued to a name without a hyphen ("CJSCZEST",
//     "OOOEKOGRUPP", "HARACOMPANY") is split off, when the glued word is on
//     no list and what remains is a listed word: "EUROCOMPANY" stays whole
//     when a list writes it so.
func (ix *Index) otherReadings(tokens []string, skip skipFunc) []string {
	var out []string
	var latin, other []string
	for _, t := range tokens {
		if isLatinWord(t) {
			latin = append(latin, t)
		} else {
			other = append(other, t)
		}
	}
	if hasLetters(latin) && hasLetters(other) {
		out = append(out, strings.Join(latin, " "), strings.Join(other, " "))
	}
	split, changed := make([]string, 0, len(tokens)+1), false
	for _, t := range tokens {
		if rest, ok := ix.unglueLegalForm(t, skip); ok {
			split, changed = append(split, rest), true
			continue
		}
		split = append(split, t)
	}
	if changed {
		out = append(out, strings.Join(split, " "))
	}
	if r, ok := ix.unglueDottedLegalForm(tokens, skip); ok {
		out = append(out, r)
	}
	return out
}

// dottedLegalForms are legal forms written as letters with dots ("S.A.",
// "N.V.", "S.R.L."). Glued to the name before them ("UNIDASS.A.",
// "BIESTRA-S.A."), their first letter stays on the name's last word and
// the rest becomes words of one letter: "unidass a", which is neither
// "UNIDAS" nor its legal form.
var dottedLegalForms = setOf("sa", "ag", "bv", "nv", "spa", "srl", "sarl", "sas")

// unglueDottedLegalForm returns tokens read with such a form taken off: a
// word on no list whose last letter, with the one-letter words after it,
// spells a dotted legal form, and whose rest is a listed word.
func (ix *Index) unglueDottedLegalForm(tokens []string, skip skipFunc) (string, bool) {
	for i := 0; i+1 < len(tokens); i++ {
		t := tokens[i]
		if len(t) < 4 || ix.listed(t, skip) {
			continue
		}
		form := t[len(t)-1:]
		j := i + 1
		for j < len(tokens) && len(tokens[j]) == 1 && len(form) < 4 {
			form += tokens[j]
			j++
		}
		if j == i+1 || !dottedLegalForms[form] || !ix.listed(t[:len(t)-1], skip) {
			continue
		}
		out := append(append(append([]string{}, tokens[:i]...), t[:len(t)-1]), tokens[j:]...)
		return strings.Join(out, " "), true
	}
	return "", false
}

// gluedLegalForms are legal forms that a name may carry glued to its
// front ("OOOEKOGRUPP") or its end ("HARACOMPANY"), without a hyphen.
// Forms of two letters ("ao", "sa", "co") would cut too many words.
var (
	gluedPrefixes = []string{"cjsc", "ojsc", "pjsc", "jsc", "ooo", "zao", "oao", "pao", "llc"}
	gluedSuffixes = []string{"company", "corporation", "limited", "trading", "ltd", "llc", "gmbh", "inc", "plc", "jsc"}
)

// unglueLegalForm returns t without a glued legal form, when t is in no
// posting list and the rest, of three letters or more, is.
func (ix *Index) unglueLegalForm(t string, skip skipFunc) (string, bool) {
	if ix.listed(t, skip) {
		return "", false
	}
	for _, p := range gluedPrefixes {
		if rest, ok := strings.CutPrefix(t, p); ok && len(rest) >= 3 && ix.listed(rest, skip) {
			return rest, true
		}
	}
	for _, p := range gluedSuffixes {
		if rest, ok := strings.CutSuffix(t, p); ok && len(rest) >= 3 && ix.listed(rest, skip) {
			return rest, true
		}
	}
	return "", false
}

// listed reports whether some alias not hidden by skip carries word w.
func (ix *Index) listed(w string, skip skipFunc) bool {
	p, ok := ix.tokens[w]
	return ok && !allSkipped(p, skip)
}

func isLatinWord(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] >= 0x80 {
			return false
		}
	}
	return true
}

// hasLetters reports whether some word is not a number.
func hasLetters(words []string) bool {
	for _, w := range words {
		if !isDigits(w) {
			return true
		}
	}
	return false
}
