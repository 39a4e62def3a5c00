package screen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"tipline/internal/screen/translit"
)

// maxWholeQuery is the number of words up to which a query that reads as a
// sentence is still tried whole when nothing in it looked like a name
// ("ministry of land and maritime transportation").
const maxWholeQuery = 12

// maxWholeName is the number of words up to which a query that does not
// read as a sentence is tried whole as one name. Official names of
// organisations are long: the longest listed name has 25 words ("MAIN
// DIRECTORATE FOR COMBATING ORGANIZED CRIME AND CORRUPTION OF THE MVD OF
// THE REPUBLIC OF BELARUS" has 17), and split into runs at "for", "of" and
// "the" no part of it scores high enough. Longer text is only searched for
// runs.
const maxWholeName = 32

// maxCandidateNames bounds the names tried per query, so a pasted report
// cannot make one query arbitrarily slow.
const maxCandidateNames = 48

// NameCandidates picks the strings in a query that may be names, the way an
// analyst would skim a report: the whole query when it is short; quoted
// text; the words after a vessel prefix or word ("M/V Ji Song 6", "the
// tanker chon myong 1"); runs of capitalised words in Latin or Cyrillic
// ("Chon Myong 1", "Умаров Доку"), numbers and name particles included;
// and Hangul and Han words, with Korean particles trimmed. Spans listed in
// skip (identifiers already found) are blanked out first.
func NameCandidates(text string, skip [][2]int) []string {
	if len(skip) > 0 {
		b := []byte(text)
		for _, s := range skip {
			// Whole characters only: a span that starts or ends inside one
			// would leave the rest of its bytes behind, and a candidate
			// that is not valid text.
			start, end := max(s[0], 0), min(s[1], len(b))
			for start > 0 && start < len(b) && !utf8.RuneStart(b[start]) {
				start--
			}
			for end > 0 && end < len(b) && !utf8.RuneStart(b[end]) {
				end++
			}
			for i := start; i < end; i++ {
				b[i] = '\n'
			}
		}
		text = string(b)
	}
	c := candidateSet{seen: map[string]bool{}}
	words := splitWords(text)
	oneLine := len(words) > 0 && !strings.Contains(text, "\n")
	whole := oneLine && len(words) <= maxWholeQuery
	if oneLine && len(words) <= maxWholeName && !isSentence(words) {
		c.add(strings.TrimSpace(text))
		whole = false
		c.wholeTried = true
		if invertedName(text, words) {
			// Its parts are not names of their own: "ZHURAVLEV, Viktor
			// Filippovich" is not "Viktor Filippovich".
			return c.out
		}
	}
	c.quoted(text)
	c.runs(words)
	if whole && len(c.out) == 0 {
		// A sentence in which nothing looked like a name: try it whole
		// after all ("ministry of land and maritime transportation").
		c.add(strings.TrimSpace(text))
	}
	if len(words) > 3 {
		// Only in a sentence: the words of a short Han or Hangul name
		// ("은서 최") are a given name and a surname, and one syllable
		// alone matches some listed name in every romanisation.
		c.scripts(words)
	}
	return c.out
}

// isSentence reports whether a short query reads as a sentence rather than
// a name: two or more lower-case function words ("met", "to", "near") other
// than those that join the parts of a company's name ("Bank of the DPRK").
// Scoring a sentence whole against the lists finds nothing its names do not,
// and was the slowest kind of query.
func isSentence(words []word) bool {
	n := 0
	for i, w := range words {
		if stopWords[w.text] && !nameConnectors[w.text] && !initialBeside(words, i) {
			n++
		}
	}
	return n >= 2
}

// initialBeside reports whether word i is one letter next to another
// one-letter word: initials written without their dots ("named after k a
// valieva"), not the article "a" or the pronoun "i".
func initialBeside(words []word, i int) bool {
	oneLetter := func(j int) bool { return j >= 0 && j < len(words) && utf8.RuneCountInString(words[j].text) == 1 }
	return oneLetter(i) && (oneLetter(i-1) || oneLetter(i+1))
}

// invertedName reports whether a one-line query is one person's name
// written surname first with a comma, as lists and forms write it
// ("OREKHOV, Iurii Denisovich", "KIM, Jong Un"): one word before the only
// comma, two to four after, and nothing else that ends a name. Read as two
// runs, its surname alone and its given names alone found other people.
func invertedName(text string, words []word) bool {
	if strings.Count(text, ",") != 1 || len(words) < 3 || len(words) > 5 || !words[0].stops {
		return false
	}
	for _, w := range words[1 : len(words)-1] {
		if w.stops || w.gap {
			return false
		}
	}
	return !strings.ContainsAny(text, ";:\"()[]")
}

// nameConnectors are lower-case words inside names ("Bank of the DPRK").
var nameConnectors = map[string]bool{"of": true, "the": true, "and": true, "for": true, "in": true}

type candidateSet struct {
	out  []string
	seen map[string]bool
	// wholeTried is set when the whole query is tried as one name: a
	// single word of it is then not tried alone, since one-word names
	// are compared by spelling alone ("Bank of Shanghai" is no "SANAI",
	// which "Shanghai" alone was, at 0.887).
	wholeTried bool
}

func (c *candidateSet) add(s string) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	if s == "" || len(c.out) >= maxCandidateNames {
		return
	}
	if k := translit.Normalize(s); k != "" && !c.seen[k] {
		c.seen[k] = true
		c.out = append(c.out, s)
	}
}

var quotes = [][2]string{{`"`, `"`}, {"“", "”"}, {"«", "»"}, {"「", "」"}, {"‘", "’"}, {"„", "“"}}

func (c *candidateSet) quoted(text string) {
	for _, q := range quotes {
		rest := text
		for {
			i := strings.Index(rest, q[0])
			if i < 0 {
				break
			}
			rest = rest[i+len(q[0]):]
			j := strings.Index(rest, q[1])
			if j < 0 {
				break
			}
			if j <= 120 {
				c.add(rest[:j])
			}
			rest = rest[j+len(q[1]):]
		}
	}
}

// word is one whitespace-separated word with the punctuation that ended it.
type word struct {
	text    string // without surrounding punctuation
	stops   bool   // followed by punctuation that ends a name (",", ".", ";")
	gap     bool   // preceded by a blanked identifier or a line break
	initial bool   // one letter and a dot ("A." in "John A. Yarmuth")
}

func splitWords(text string) []word {
	var out []word
	gap := false
	for _, line := range strings.Split(text, "\n") {
		for _, f := range strings.Fields(line) {
			t := strings.TrimRightFunc(f, func(r rune) bool { return unicode.IsPunct(r) && r != ')' })
			// An initial's dot ("Frank D. Lucas") does not end a name.
			initial := f == t+"." && utf8.RuneCountInString(t) == 1
			// Quotes and brackets around a nickname ("Robert C. \"Bobby\"
			// Scott") do not end a name; a comma, stop or colon does.
			stops := strings.ContainsAny(f[len(t):], ",.;:!?") && !initial
			t = strings.TrimLeftFunc(t, func(r rune) bool { return unicode.IsPunct(r) && r != '(' })
			t = strings.Trim(t, "()")
			if t == "" {
				if len(out) > 0 {
					out[len(out)-1].stops = true
				}
				continue
			}
			out = append(out, word{text: t, stops: stops, gap: gap, initial: initial && t == f[:len(t)]})
			gap = false
		}
		gap = true
	}
	return out
}

// vesselWords introduce a ship's name in a report.
var vesselWords = map[string]bool{
	"m/v": true, "mv": true, "m/t": true, "mt": true, "tanker": true, "vessel": true, "ship": true,
	"freighter": true, "barge": true, "trawler": true, "carrier": true, "sts": true, "named": true,
	"судно": true, "танкер": true, "теплоход": true,
}

// stopWords end or are trimmed from a run of words: sentence starters and
// function words that are capitalised at the start of a sentence.
var stopWords = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "or": true, "of": true, "in": true, "on": true,
	"at": true, "to": true, "from": true, "with": true, "by": true, "for": true, "off": true, "near": true,
	"met": true, "was": true, "were": true, "is": true, "are": true, "has": true, "had": true, "it": true,
	"we": true, "i": true, "he": true, "she": true, "they": true, "this": true, "that": true, "my": true,
	"our": true, "his": true, "her": true, "their": true, "then": true, "there": true, "last": true,
	"yesterday": true, "today": true, "called": true, "via": true, "into": true, "after": true, "before": true,
}

// particles may sit inside a capitalised name run ("Abu Bakr al Baghdadi").
var particles = map[string]bool{
	"al": true, "el": true, "bin": true, "bint": true, "ibn": true, "abu": true, "de": true, "da": true,
	"di": true, "van": true, "von": true, "der": true, "la": true, "le": true, "ul": true,
	"den": true, "del": true, "dos": true, "das": true, "du": true, "des": true, "della": true, "y": true,
}

func (c *candidateSet) runs(words []word) {
	var run []string
	flush := func() {
		for len(run) > 0 && (particles[strings.ToLower(run[len(run)-1])] || stopWords[strings.ToLower(run[len(run)-1])]) {
			run = run[:len(run)-1]
		}
		if len(run) > 1 || (len(run) == 1 && len([]rune(run[0])) >= 4 && !c.wholeTried) {
			c.add(strings.Join(run, " "))
		}
		run = run[:0]
	}
	afterVessel := 0
	for _, w := range words {
		lower := strings.ToLower(w.text)
		if w.gap {
			flush()
		}
		first, _ := firstRune(w.text)
		switch {
		case stopWords[lower] && !(afterVessel > 0 && len(run) == 0) && !(w.initial && len(run) > 0):
			// "A." after a name word is an initial, not the article.
			flush()
		case unicode.IsUpper(first) && !vesselWords[lower]:
			run = append(run, w.text)
		case afterVessel > 0 && unicode.IsLetter(first) && (unicode.Is(unicode.Latin, first) || unicode.Is(unicode.Cyrillic, first)):
			run = append(run, w.text)
		case len(run) > 0 && (unicode.IsDigit(first) || particles[lower]):
			run = append(run, w.text)
		default:
			flush()
		}
		if afterVessel > 0 {
			afterVessel--
		}
		if vesselWords[lower] {
			flush()
			afterVessel = 4
		}
		if w.stops {
			flush()
			afterVessel = 0
		}
	}
	flush()
}

// koreanParticles are endings that follow a name in a Korean sentence.
var koreanParticles = []string{"에서", "으로", "에게", "와", "과", "은", "는", "이", "가", "을", "를", "의", "에", "로", "도"}

func (c *candidateSet) scripts(words []word) {
	for i, w := range words {
		if !translit.HasHangul(w.text) && !translit.HasHan(w.text) || utf8.RuneCountInString(w.text) < 2 {
			continue
		}
		c.add(w.text)
		for _, p := range koreanParticles {
			if s, ok := strings.CutSuffix(w.text, p); ok && len([]rune(s)) >= 2 {
				c.add(s)
			}
		}
		if i+1 < len(words) && translit.HasHangul(words[i+1].text) && !w.stops {
			c.add(w.text + " " + words[i+1].text)
		}
	}
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}
