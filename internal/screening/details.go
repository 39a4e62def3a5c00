package screening

import (
	"strings"
	"unicode"

	"tipline/internal/screen"
)

// personOf reads one line of a report's people: the name, and the
// nationality and birth year a source may add after it in brackets, in any
// order ("Ri Chol Min (North Korea, 1971)", "김철민 (북한, 1971년생)"). A
// bracket that says anything else is part of the name.
func personOf(line string) screen.ReportedPerson {
	name, country, born := detailsOf(line)
	return screen.ReportedPerson{Name: name, Nationality: country, Born: born}
}

// companyOf reads one line of a report's companies: the name, and the
// country of registration a source may add after it in brackets ("Paekho
// Trading (China)").
func companyOf(line string) screen.ReportedCompany {
	name, country, born := detailsOf(line)
	if born != "" { // a year is no part of a company's details
		return screen.ReportedCompany{Name: strings.TrimSpace(line)}
	}
	return screen.ReportedCompany{Name: name, Country: country}
}

// detailsOf splits a trailing bracket of details off a line: at most one
// country and one year, separated by commas or semicolons. When the bracket
// holds anything else, the whole line is the name.
func detailsOf(line string) (name, country, born string) {
	line = strings.TrimSpace(line)
	whole := func() (string, string, string) { return line, "", "" }
	if !strings.HasSuffix(line, ")") && !strings.HasSuffix(line, "）") {
		return whole()
	}
	open := max(strings.LastIndex(line, "("), strings.LastIndex(line, "（"))
	if open <= 0 {
		return whole()
	}
	inner := strings.TrimRight(line[open:], ")）")
	inner = strings.TrimLeft(inner, "(（")
	for _, part := range strings.FieldsFunc(inner, func(r rune) bool { return strings.ContainsRune(",;，；、", r) }) {
		part = strings.TrimSpace(part)
		switch {
		case part == "":
		case born == "" && isBirthYear(part):
			born = part
		case country == "" && screen.CountryCode(part) != "":
			country = part
		default:
			return whole()
		}
	}
	if country == "" && born == "" {
		return whole()
	}
	return strings.TrimSpace(line[:open]), country, born
}

// bornWords are the words that may stand beside a birth year: "born 1971",
// "b. 1971", "1971 г.р.", "1971년생", "1971年生".
var bornWords = map[string]bool{
	"born": true, "b": true, "dob": true, "d.o.b": true, "c": true, "ca": true, "circa": true, "about": true,
	"р": true, "г": true, "гр": true, "г.р": true, "род": true, "родился": true, "родилась": true, "около": true,
	"년": true, "년생": true, "생": true, "출생": true, "年": true, "生": true, "年生": true, "出生": true, "出生于": true,
}

// isBirthYear reports whether a part of a bracket is a birth year, or a
// birth date, with at most the words that say so.
func isBirthYear(part string) bool {
	if screen.BirthYear(part) == 0 {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(part), func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsSpace(r) || r == '-' || r == '/' || r == ':'
	}) {
		if w = strings.Trim(w, "."); w != "" && !bornWords[w] {
			return false
		}
	}
	return true
}
