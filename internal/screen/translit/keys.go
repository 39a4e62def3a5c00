package translit

import "strings"

// Comparison levels, from exact spelling to coarse phonetic keys. Similarity
// only compares forms of the same level and discounts the coarser ones.
const (
	levelText   = iota // normalised text and its romanisations
	levelLatin         // LatinKey of a Latin form
	levelKorean        // KoreanKey of a romanised Korean form
	levelCount
)

var levelWeight = [levelCount]float64{1.0, 0.97, 0.94}

type form struct {
	text   string   // normalised, tokens separated by single spaces
	tokens []string // strings.Fields(text)
	joined string   // tokens without spaces
	level  int
	// skip marks original-script Hangul and Han forms, which are indexed
	// as keys but compared through their romanisations, since a whole
	// name written without spaces is one token.
	skip bool
}

// Name is a name prepared for repeated comparison: Compile it once for each
// list alias and each query, then call Similarity.
type Name struct {
	Original string
	Analysis Analysis
	forms    []form
}

// Compile normalises a name and derives its comparison forms.
func Compile(name string) Name {
	a := Analyze(name)
	n := Name{Original: name, Analysis: a}
	add := func(text string, level int) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" {
			return
		}
		for _, f := range n.forms {
			if f.text == text && f.level == level {
				return
			}
		}
		toks := strings.Fields(text)
		n.forms = append(n.forms, form{text: text, tokens: toks, joined: strings.Join(toks, ""), level: level,
			skip: HasHangul(text) || HasHan(text)})
	}
	add(a.Text, levelText)
	korean := false
	if HasHangul(a.Text) {
		add(RomanizeHangul(a.Text, McCuneReischauer), levelText)
		add(RomanizeHangul(a.Text, RevisedRomanization), levelText)
		korean = true
	}
	if HasCyrillic(a.Text) {
		add(RomanizeCyrillic(a.Text, false), levelText)
		add(RomanizeCyrillic(a.Text, true), levelText)
	}
	if HasHan(a.Text) {
		add(RomanizeHan(a.Text), levelText)
	}
	for _, f := range n.forms {
		if f.skip || f.level != levelText || !isLatinText(f.text) {
			continue
		}
		add(LatinKey(f.text), levelLatin)
		if korean || IsKoreanRomanization(f.text) {
			add(KoreanKey(f.text), levelKorean)
		}
	}
	return n
}

// isLatinText reports whether s has only ASCII letters, digits and spaces,
// the alphabet of every romanisation and of normalised Latin names.
func isLatinText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Keys returns the comparison keys of a name, the normalised form first:
// the normalised text; its romanisations when written in Hangul (Revised
// and McCune–Reischauer-like), Cyrillic (BGN/PCGN and simple) or Han
// (pinyin); the LatinKey of each Latin form; the KoreanKey of each form
// that can be romanised Korean; and for each multi-word key, the same
// without spaces, so that "Song Jin", "Song-jin" and "Songjin" share the
// key "songjin". Two names that share a key are worth comparing with
// Similarity; keys suit an index or a blind index, not a score.
func Keys(name string) []string { return Compile(name).Keys() }

// Keys returns the keys of a compiled name; see the function Keys.
func (n Name) Keys() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range n.forms {
		for _, k := range []string{f.text, f.joined} {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// LatinForms returns the name's Latin spellings at the exact level: its
// normalised text when that is Latin, and its romanisations when it is
// written in Hangul, Cyrillic or Han. They are what a word-by-word scorer
// compares; the coarser keys of each word are LatinKey and KoreanKey.
func (n Name) LatinForms() []string {
	var out []string
	for _, f := range n.forms {
		if f.level == levelText && !f.skip && isLatinText(f.text) {
			out = append(out, f.text)
		}
	}
	return out
}
