package screen

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"tipline/internal/screen/translit"
)

// maxCandidates is how many aliases, ranked by the weight of the keys and
// words they share with the query, are scored with translit's Similarity.
// Scoring is cheap; the bound keeps the worst query (a name made only of
// common words) fast.
const maxCandidates = 48

// minWeightShare drops candidates whose shared-key weight is under this
// share of the best candidate's: they share only a common word with the
// query, and scoring them was most of the cost of a query.
const minWeightShare = 0.25

// skipFunc, when set, hides aliases from matchName: the evaluation uses it to
// hold the queried alias out of the index without rebuilding it.
type skipFunc func(alias int32) bool

// matchName matches one candidate name fuzzily: candidate generation through
// the key, word and trigram postings, then Similarity on the best-ranked
// candidates. It returns the best alias of each entry scoring at least
// floor, where floor is a little below the threshold so that nothing near
// it is lost to rounding.
func (ix *Index) matchName(q string, threshold float64) []match {
	return ix.matchNameSkip(q, threshold, nil)
}

func (ix *Index) matchNameSkip(q string, threshold float64, skip skipFunc) []match {
	c := translit.Compile(q)
	if len(c.Analysis.Tokens) == 0 {
		return nil
	}
	ms := ix.matchCompiled(c, threshold, skip)
	alts := ix.otherReadings(c.Analysis.Tokens, skip)
	if len(alts) == 0 {
		return ms
	}
	best := map[int32]match{}
	for _, m := range ms {
		best[m.entry] = m
	}
	for _, alt := range alts {
		for _, m := range ix.matchCompiled(translit.Compile(alt), threshold, skip) {
			if old, ok := best[m.entry]; !ok || m.score > old.score {
				best[m.entry] = m
			}
		}
	}
	out := make([]match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	return out
}

// matchCompiled is matchNameSkip for one reading of the query.
func (ix *Index) matchCompiled(c translit.Name, threshold float64, skip skipFunc) []match {
	acc := map[int32]float64{}
	seen := map[string]bool{}
	for _, k := range c.Keys() {
		for _, ai := range ix.keys[k] {
			acc[ai] += 8
		}
		for _, w := range strings.Fields(k) {
			if seen[w] {
				continue
			}
			seen[w] = true
			if p, ok := ix.tokens[w]; ok && !allSkipped(p, skip) {
				if len(p) <= maxPosting {
					wt := ix.idf(len(p))
					for _, ai := range p {
						acc[ai] += wt
					}
				}
				continue
			}
			for _, v := range ix.nearWords(w) {
				p := ix.tokens[v]
				if len(p) > maxPosting || allSkipped(p, skip) {
					continue
				}
				wt := 0.7 * ix.idf(len(p))
				for _, ai := range p {
					acc[ai] += wt
				}
			}
		}
	}
	type cand struct {
		ai int32
		w  float64
	}
	cands := make([]cand, 0, len(acc))
	for ai, w := range acc {
		if skip == nil || !skip(ai) {
			cands = append(cands, cand{ai, w})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.ai, b.ai))
	})
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	for i, cd := range cands {
		if cd.w < minWeightShare*cands[0].w {
			cands = cands[:i]
			break
		}
	}
	cross := translit.HasHan(c.Analysis.Text) || translit.HasHangul(c.Analysis.Text) || translit.HasCyrillic(c.Analysis.Text)
	cjk := translit.HasHan(c.Analysis.Text) || translit.HasHangul(c.Analysis.Text)
	var romanised [][2]string // flat and sorted forms of each Latin key
	if cross {
		for _, k := range c.Keys() {
			if isLatin(k) {
				flat, sorted := flatForms(strings.Fields(k))
				romanised = append(romanised, [2]string{flat, sorted})
			}
		}
	}
	qw := ix.tokenForms(&c)
	for i := range qw {
		markPinyin(&qw[i])
	}
	var qBare *translit.Name
	if len(qw) > 0 && len(qw[0].nums) > 0 {
		qBare = withoutNumbers(c.Analysis.Tokens)
	}
	best := map[int32]match{}
	for _, cd := range cands {
		a := &ix.aliases[cd.ai]
		floor := threshold - 0.1
		// The cross-script caps are cheap: apply them before scoring.
		cap := 1.0
		if cross && isLatin(a.c.Analysis.Text) {
			cap = crossScript(romanised, a)
			if cjk && len(a.words) > 0 && !syllablesAgree(qw, &a.words[0]) {
				cap = min(cap, crossScriptFailed)
			}
			if cap < floor {
				continue
			}
		}
		s := min(cap, ix.score(&c, qw, qBare, a))
		if s < floor {
			continue
		}
		if ix.entries[a.entry].e.Kind == KindVessel {
			s *= 1 - foreignWordCost*ix.foreignShare(qw, cd.ai, skip) // foreign.go
			if ix.numberForeign(qw, cd.ai, skip) {
				s = min(s, weakEvidenceCap)
			}
		}
		if old, ok := best[a.entry]; !ok || s > old.score {
			best[a.entry] = match{entry: a.entry, alias: cd.ai, score: s}
		}
	}
	out := make([]match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	return out
}

// allSkipped reports whether skip hides every alias of a posting list: a
// word only a held-out alias carries is, for the query, a word in no
// posting list, so its near words are looked up as they would be had the
// alias never been indexed.
func allSkipped(p []int32, skip skipFunc) bool {
	if skip == nil {
		return false
	}
	for _, ai := range p {
		if !skip(ai) {
			return false
		}
	}
	return true
}

// crossScriptFailed caps the score of a Han or Hangul query against a Latin
// alias whose syllables do not agree (syllablesAgree): well under any
// threshold the evaluation would choose.
const crossScriptFailed = 0.7

// score is the similarity of a compiled query (with its word forms and,
// when it has numbers, its number-free form) and an alias: the best of
// translit's Similarity and tokenScore. Two names with numbers are scored
// without them and must carry the same numbers.
func (ix *Index) score(c *translit.Name, qw []tokenForm, qBare *translit.Name, a *alias) float64 {
	var s float64
	switch {
	case qBare != nil && a.bare != nil:
		if !numbersAgree(&qw[0], &a.words[0]) {
			return 0
		}
		s = qBare.Similarity(*a.bare)
	default:
		s = c.Similarity(a.c)
	}
	if s >= 1 {
		return s
	}
	tok, paired, weak, syllables := 0.0, 0, true, len(qw) > 0 && len(a.words) > 0
	multi, longSyllables := syllables, syllables
	for i := range qw {
		for j := range a.words {
			t, n, w := tokenScore(&qw[i], &a.words[j])
			tok, paired, weak = max(tok, t), max(paired, n), weak && w
			multi = multi && len(qw[i].words) >= minMatchedWords && len(a.words[j].words) >= minMatchedWords
			syllables = syllables && multi && koreanSyllables(qw[i].words, shortWord) && koreanSyllables(a.words[j].words, shortWord)
			longSyllables = longSyllables && multi && koreanSyllables(qw[i].words, maxSyllable) && koreanSyllables(a.words[j].words, maxSyllable)
		}
	}
	s = max(s, tok)
	if syllables && paired < minMatchedWords {
		s = min(s, unpairedCap)
	}
	if multi && weak {
		s = min(s, weakEvidenceCap)
	}
	if slavicNamesDiffer(qw, a.words) {
		s = min(s, weakEvidenceCap)
	}
	if koreanGivenNamesDiffer(qw, a.words) {
		s = min(s, weakEvidenceCap)
	}
	if len(qw) > 0 && len(a.words) > 0 && !multi {
		s = min(s, oneWordSpelling(qw, a.words, s))
		s = max(s, withoutArticle(qw, a.words))
	}
	// Korean and Chinese names of different syllable counts that agree
	// on the syllables they share are a name and a longer one: "Jin Hye
	// Min" is not the ship "JIN HYE" (0.880 by word scoring) — a
	// syllable more is another name, not a middle name left out.
	if longSyllables && paired >= minMatchedWords && !sameSyllableCount(qw, a.words) && bothEastAsian(qw, a.words) {
		s = min(s, weakEvidenceCap)
	}
	if longSyllables && eastAsianSyllablesDiffer(qw, a.words) {
		if sameSyllableCount(qw, a.words) {
			s = min(s, weakEvidenceCap)
		} else {
			s = min(s, max(tok, weakEvidenceCap))
		}
	}
	return s
}

// eastAsianSyllablesDiffer reports whether two names of Korean or Chinese
// syllables (each with a frequent surname or syllable, commonSurnames)
// each have a syllable that corresponds to none of the other's, in every
// pair of their spellings: "Son A Yon" and "JANG, Yong Son", "Jong Hyo Jun"
// and "SON, Jong Hyok", "Yu Yong" and "RYO MYONG" (syllables of up to
// maxSyllable letters; "yong" and "myong" differ by an initial, so they
// are different syllables). translit's Similarity pairs such syllables at 0.75
// and more, so their score is held to word scoring's, which charges each
// missing syllable (or to the possible tier's floor); between names of as
// many syllables a syllable is changed, not missing, and the score is held
// to that floor ("Cha Chun Hyong" and "KU, Ja Hyong", 0.853 by word
// scoring).
func eastAsianSyllablesDiffer(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			x, y := q[i].words, a[j].words
			if !hasCommonSurname(x) || !hasCommonSurname(y) || !unmatchedSyllable(x, y) || !unmatchedSyllable(y, x) {
				return false
			}
		}
	}
	return len(q) > 0 && len(a) > 0
}

// unmatchedSyllable is unmatchedWord between Korean or Chinese names, where
// two short syllables are one only as the same syllable (otherSyllable):
// "yong" is like "myong" (0.93) yet another syllable, so "Yu Yong" and "RYO
// MYONG" each have a syllable the other lacks.
func unmatchedSyllable(x, y []tokenWord) bool {
	for i := range x {
		found := false
		for j := range y {
			if wordSimilarity(&x[i], &y[j]) >= floorFor(&x[i], &y[j]) && !otherInitial(&x[i], &y[j]) {
				found = true
				break
			}
		}
		if !found {
			return true
		}
	}
	return false
}

// otherInitial reports whether two syllables (otherSyllable) also begin
// with different letters: an initial consonant added or changed ("yong" and
// "myong") is another syllable, where a vowel spelt otherwise ("chin" and
// "chein") may be a romanisation the Korean keys do not meet.
func otherInitial(a, b *tokenWord) bool {
	return otherSyllable(a, b) && a.text[0] != b.text[0]
}

// sameSyllableCount reports whether every spelling of either name has as
// many syllables as every spelling of the other.
func sameSyllableCount(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			if len(q[i].words) != len(a[j].words) {
				return false
			}
		}
	}
	return true
}

// bothEastAsian reports whether every spelling of both names carries a
// frequent Korean or Chinese surname or syllable (commonSurnames).
func bothEastAsian(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			if !hasCommonSurname(q[i].words) || !hasCommonSurname(a[j].words) {
				return false
			}
		}
	}
	return true
}

func hasCommonSurname(ws []tokenWord) bool {
	for i := range ws {
		if commonSurnames[ws[i].text] {
			return true
		}
	}
	return false
}

// unpairedCap caps the score of two names made of syllables that read as
// romanised Korean (koreanSyllables; most pinyin does too) of which fewer
// than two correspond word by word: translit's Similarity
// pairs every syllable with its nearest at 0.75, so two names sharing a
// surname and a few letters scored high ("Gao Hang" and "GAO, Shan", 0.917),
// while they share one syllable, which is never enough.
const unpairedCap = 0.8

// weakEvidenceCap caps the score of two names of two words or more whose
// words in common are all common ones, when either name has a word the
// other lacks (tokenScore's weak): translit's Similarity pairs every word
// with its nearest at 0.75, so "Wang Luyang" scored 0.862 against "WANG,
// Guoying" and "Korea Development Bank" 0.939 against "KOREA UNITED
// DEVELOPMENT BANK". Such a pair is a candidate for a person to look at
// (the possible tier starts here), never a hit.
const weakEvidenceCap = DefaultPossible

// withoutNumbers compiles a name's words other than its numbers and the
// signs written before them ("Office No. 39", numberSign), or returns nil
// when nothing else is left.
func withoutNumbers(tokens []string) *translit.Name {
	var ws []string
	for i, t := range tokens {
		if !isDigits(t) && !numberSign(tokens, i) {
			ws = append(ws, t)
		}
	}
	if len(ws) == 0 {
		return nil
	}
	n := translit.Compile(strings.Join(ws, " "))
	return &n
}

// crossScript scores a romanised query against a Latin alias on whole
// names, spaces removed, in written and in sorted word order. Similarity
// compares word by word, which for one-syllable Han and Hangul words lets
// any short Latin name with one matching syllable score high ("冠廷 美華 張"
// against "ZHANG, Jian"); requiring the whole romanisation to agree removed
// most false positives of the evaluation's Chinese and Korean negatives.
func crossScript(romanised [][2]string, a *alias) float64 {
	best := 0.0
	for _, k := range romanised {
		flat, sorted := k[0], k[1]
		lf, la := float64(len(flat)), float64(len(a.flat))
		ratio := min(lf, la) / max(lf, la, 1) // a whole name must not hide in a part of one
		best = max(best, ratio*max(translit.JaroWinkler(flat, a.flat), translit.JaroWinkler(sorted, a.sorted)))
	}
	return best
}

func flatForms(tokens []string) (flat, sorted string) {
	flat = strings.Join(tokens, "")
	s := slices.Clone(tokens)
	slices.Sort(s)
	return flat, strings.Join(s, "")
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// nearWords returns the listed words that share most letter trigrams with
// w, a word in no posting list (a misspelling, most likely): at most eight,
// with a Dice coefficient of at least 0.5. Counting runs over a pooled
// array indexed by word, since a map here dominated the cost of a query.
func (ix *Index) nearWords(w string) []string {
	gs := trigrams(w)
	if len(gs) < 3 {
		return nil
	}
	sc := ix.scratch.Get().(*gramScratch)
	defer ix.scratch.Put(sc)
	for _, g := range gs {
		p := ix.grams[g]
		if len(p) > maxGramPosting {
			continue // a trigram in most words ranks nothing
		}
		for _, vi := range p {
			if sc.counts[vi] == 0 {
				sc.touched = append(sc.touched, vi)
			}
			if sc.counts[vi] < 255 {
				sc.counts[vi]++
			}
		}
	}
	type near struct {
		vi   int32
		dice float64
	}
	var ns []near
	for _, vi := range sc.touched {
		n := sc.counts[vi]
		sc.counts[vi] = 0
		if d := 2 * float64(n) / float64(len(gs)+int(ix.vocabGrams[vi])); d >= 0.5 {
			ns = append(ns, near{vi, d})
		}
	}
	sc.touched = sc.touched[:0]
	slices.SortFunc(ns, func(a, b near) int { return cmp.Or(cmp.Compare(b.dice, a.dice), cmp.Compare(a.vi, b.vi)) })
	out := make([]string, 0, 8)
	for _, n := range ns {
		if len(out) == 8 {
			break
		}
		out = append(out, ix.vocab[n.vi])
	}
	return out
}

// maxGramPosting skips trigrams shared by so many listed words that they
// cannot tell a near word from any other.
const maxGramPosting = 2500

type gramScratch struct {
	counts  []uint8
	touched []int32
}

// scanScript finds listed Han, Hangul and Cyrillic names written inside a
// text without spaces around them ("油轮经由丹东鸿祥实业发展运往南浦"), by
// looking up every substring up to the longest such name. A match is exact
// after normalisation, so it scores 1.
func (ix *Index) scanScript(text string) []match {
	if len(ix.script) == 0 || !(translit.HasHan(text) || translit.HasHangul(text) || translit.HasCyrillic(text)) {
		return nil
	}
	r := []rune(strings.ReplaceAll(translit.Normalize(text), " ", ""))
	var out []match
	for i := range r {
		for n := 2; n <= ix.scriptMax && i+n <= len(r); n++ {
			for _, ai := range ix.script[string(r[i:i+n])] {
				out = append(out, match{entry: ix.aliases[ai].entry, alias: ai, score: 1})
			}
		}
	}
	return out
}

func (ix *Index) aliasText(ai int32) string {
	a := &ix.aliases[ai]
	return ix.entries[a.entry].e.Names[a.name].Text
}

// koreanSyllables reports whether every word has at most n letters
// and reads as romanised Korean. Short Arabic and other names ("ZEIN,
// Hajj", "AREF, Abu") are left to Similarity: their variants differ by
// vowels, which Similarity pairs and word scoring does not.
func koreanSyllables(ws []tokenWord, n int) bool {
	for i := range ws {
		if len(ws[i].text) > n || ws[i].korean == "" {
			return false
		}
	}
	return true
}
