package ident

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Labels and vessel words for Extract, lower case. They are matched as
// substrings of lower-cased text, so each must be specific enough not to
// occur inside ordinary words.
var (
	mmsiLabels     = []string{"mmsi", "ммси"}
	callSignLabels = []string{"call sign", "callsign", "call-sign", "позывной", "позывные", "호출부호", "呼号", "呼號"}
	companyWords   = []string{"company number", "company", "registered owner", "owner", "manager", "operator",
		"компания", "компании", "владелец", "회사", "선주", "公司", "船东", "船東"}
	vesselWords = []string{"vessel", "ship", "tanker", "freighter", "bulk carrier", "cargo", "m/v", "m/t",
		"imo", "mmsi", "ais", "flag", "hull", "судно", "судна", "судне", "танкер", "теплоход",
		"корабл", "сухогруз", "флаг", "선박", "유조선", "화물선", "선적", "船", "轮", "輪", "油轮", "油輪"}
)

// lowerTail returns the last n bytes of s, lower-cased, starting at a rune
// boundary, so that label tests look only at what directly precedes.
func lowerTail(s string, n int) string {
	if len(s) > n {
		s = s[len(s)-n:]
		for len(s) > 0 && !utf8.RuneStart(s[0]) {
			s = s[1:]
		}
	}
	return strings.ToLower(s)
}

// imoLabelLen returns how many bytes of before, counted from its end, form
// an IMO label ("IMO no. ", "ИМО: ", "IMO number "), or 0 when there is
// none. The label must not be the end of a longer word ("KERIMO").
func imoLabelLen(before string) int {
	tail := lowerTail(before, 48)
	t := strings.TrimRightFunc(tail, isLabelPunct)
	for _, w := range imoNumberWords {
		if strings.HasSuffix(t, w) {
			t = strings.TrimRightFunc(strings.TrimSuffix(t, w), isLabelPunct)
			break
		}
	}
	// "International Maritime Organization (IMO) Number: 1790183" (UN list).
	t = strings.TrimSuffix(strings.TrimRightFunc(t, isLabelPunct), ")")
	for _, l := range imoLabels {
		if strings.HasSuffix(t, l) {
			rest := strings.TrimSuffix(t, l)
			r, _ := utf8.DecodeLastRuneInString(rest)
			if rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return 0
			}
			return len(tail) - len(rest)
		}
	}
	return 0
}

// hasLabel reports whether before ends with one of labels, allowing the
// same punctuation between label and value as IMO labels.
func hasLabel(before string, labels, numberWords []string) bool {
	t := strings.TrimRightFunc(lowerTail(before, 32), isLabelPunct)
	for _, w := range numberWords {
		t = strings.TrimRightFunc(strings.TrimSuffix(t, w), isLabelPunct)
	}
	for _, l := range labels {
		if strings.HasSuffix(t, l) {
			rest := strings.TrimSuffix(t, l)
			r, _ := utf8.DecodeLastRuneInString(rest)
			return rest == "" || !(unicode.IsLetter(r) || unicode.IsDigit(r))
		}
	}
	return false
}

// isCompanyContext reports whether an IMO label is preceded by a company
// word ("Company Number IMO", "owner IMO") or the number is followed by
// "(company)" or "(owner)".
func isCompanyContext(beforeLabel, after string) bool {
	t := strings.TrimRightFunc(lowerTail(beforeLabel, 32), isLabelPunct)
	for _, w := range companyWords {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	a := strings.ToLower(strings.TrimLeft(after[:min(len(after), 32)], " "))
	return strings.HasPrefix(a, "(company") || strings.HasPrefix(a, "(owner") || strings.HasPrefix(a, "(registered owner")
}

// nearVesselWord reports whether a vessel word occurs within 80 bytes of
// text[i:j].
func nearVesselWord(text string, i, j int) bool {
	lo, hi := max(0, i-80), min(len(text), j+80)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi++
	}
	window := strings.ToLower(text[lo:i] + " " + text[j:hi])
	for _, w := range vesselWords {
		if containsWord(window, w) {
			return true
		}
	}
	return false
}

// containsWord reports whether w occurs in s not preceded by an ASCII
// letter, so that "ship" is found in "ships" but not in "relationship".
// Words in other scripts are matched anywhere, since Korean and Chinese
// write suffixes and compounds without spaces.
func containsWord(s, w string) bool {
	for off := 0; ; {
		k := strings.Index(s[off:], w)
		if k < 0 {
			return false
		}
		at := off + k
		if w[0] >= 0x80 || at == 0 || !isASCIILetter(s[at-1]) {
			return true
		}
		off = at + 1
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
