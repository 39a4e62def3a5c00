package screen

import (
	"slices"
	"strings"

	"tipline/internal/screen/translit"
)

// Word-by-word scoring. translit's Similarity averages how well each word
// of either name is matched, so every missing word costs the same: "Dawood
// Ebrahim" against "Dawood Ibrahim Kaskar" scores 0.81, as low as two names
// that share nothing rare. tokenScore instead weighs each word by its
// rarity among the listed names (IDF) and charges a missing word a share of
// its weight only, so a query that is a part of a name, or a name with a
// middle name added, still scores high when what it shares is rare, and
// low when it shares only common words ("Mohammed Ali").

// tokenWord is one word of a Latin form, with its coarser keys and weight.
type tokenWord struct {
	text, latin, korean string // korean is "" unless the word can be romanised Korean
	idf                 float64
	common              bool // commonWord: proves little on its own
	pinyin              bool // pinyinLike: reads as pinyin syllables
}

// tokenForm is a Latin spelling of a name split into words; numbers are
// kept apart because they are compared exactly (a ship's number). A word
// the name repeats is kept once: "Abu Suraqa Suraqa Filho" says "Suraqa"
// once more, not another name, and its second writing, paired with
// nothing, cost "Abu Surakha" a missing word (0.823).
type tokenForm struct {
	words []tokenWord
	nums  []string
	mass  float64 // the sum of the words' weights
	// eastAsian is set when a word is a frequent Korean or Chinese
	// surname (commonSurnames): between two such names, syllables pair
	// only as the same syllable (otherSyllable).
	eastAsian bool
}

// missingWordCost is the share of a word's weight lost when it has no
// counterpart in the other name; minMatchedWords is how many words must
// correspond before a partial name is scored this way at all, so that one
// shared given name or surname is never enough.
var (
	missingWordCost = 0.2
	minMatchedWords = 2
)

// wordFloor is the Jaro–Winkler similarity under which two words are taken
// as different words ("un" and "jong" share a letter by chance).
const wordFloor = 0.8

// shortWordFloor is wordFloor for a pair of which one word has at most
// shortWord letters, as a Korean or Chinese syllable has: one letter of four
// changed leaves two such words about 0.83 alike ("hang" and "shan", "sung"
// and "son"), yet they are different syllables and, being common, made
// names that share a surname match ("Gao Hang" scored 0.917 against "GAO,
// Shan"). Romanisations of one syllable meet at the Latin or Korean key
// level instead, which scores 0.94 or more.
const (
	shortWordFloor = 0.9
	shortWord      = 4
)

// surnameFloor is wordFloor for two words that both end as Russian,
// Ukrainian or Polish surnames do (surnameEndings): different surnames share
// the ending and so score 0.8 and more ("Makarov" and "Zakharov", "Shilov"
// and "Shirokov", "Dranitsyn" and "Ryntsyn"), while the spellings of one
// surname differ by a letter or two and stay above 0.9. -yn and -yna are
// -ын and -ына transliterated, as -in and -ina are -ин and -ина.
const surnameFloor = 0.88

var surnameEndings = []string{"ov", "ev", "in", "yn", "ova", "eva", "ina", "yna", "sky", "skiy", "skii", "enko"}

// surnameEnding reports whether a word ends as such surnames do.
func surnameEnding(w string) bool {
	for _, e := range surnameEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// floorFor is the similarity under which words a and b are different words.
func floorFor(a, b *tokenWord) float64 {
	if min(len(a.text), len(b.text)) <= shortWord {
		return shortWordFloor
	}
	if surnameEnding(a.text) && surnameEnding(b.text) {
		return surnameFloor
	}
	return wordFloor
}

func (ix *Index) tokenForms(c *translit.Name) []tokenForm {
	var out []tokenForm
	for _, text := range c.LatinForms() {
		var f tokenForm
		fields := strings.Fields(text)
		for i, w := range fields {
			if isDigits(w) {
				f.nums = append(f.nums, w)
				continue
			}
			if numberSign(fields, i) || slices.Contains(fields[:i], w) {
				continue
			}
			tw := tokenWord{text: w, latin: translit.LatinKey(w), idf: ix.wordIDF(w), common: commonWord(w)}
			if titles[w] || transliteratedLegalWords[w] {
				tw.idf = titleWeight
			}
			if translit.IsKoreanRomanization(w) {
				tw.korean = translit.KoreanKey(w)
			}
			f.words = append(f.words, tw)
			f.mass += tw.idf
			f.eastAsian = f.eastAsian || commonSurnames[w]
		}
		if f.eastAsian {
			markPinyin(&f)
		}
		out = append(out, f)
	}
	return out
}

// titles are honorifics and ranks written before a name ("Sheikh Dawood
// Hassan", "Col Abdel Hamid Mahmoud", "Mullah Omar", "El Hadj ..."), in
// normalised form. They say nothing about who is named, yet as rare words
// they weighed much when one name had them and the other did not
// ("Sheikh Dawood Hassan" against "Kaskar Dawood Hasan" scored 0.844).
// Word scoring weighs them as little as a word in most names; they still
// count as words. Words that are also given names (Hafiz, Amir, Sayed) are
// not titles here. Leaving them out altogether was tried: a name such as
// "Dr. Amin" or "Haji Nika" is then one word and never scored word by word,
// and the calibration half's recall was no better.
var titles = map[string]bool{
	"sheikh": true, "shaikh": true, "shaykh": true, "sheik": true, "shaik": true, "cheikh": true,
	"mullah": true, "mulla": true, "maulvi": true, "mawlawi": true, "maulavi": true, "moulvi": true,
	"molvi": true, "mawlavi": true, "maulana": true, "mawlana": true, "moulana": true,
	"haji": true, "hajji": true, "hadji": true, "hadj": true, "hajj": true, "alhaj": true,
	"alhajj": true, "alhadj": true, "elhadj": true, "elhaj": true,
	"dr": true, "doctor": true, "prof": true, "professor": true, "col": true, "colonel": true,
	"mr": true, "mrs": true, "mme": true,
}

// titleWeight is the weight of a title: the IDF of a word in more than half
// of the listed names.
const titleWeight = 1.0

// wordIDF weighs a word by the number of aliases that carry it; a word in
// none (a misspelling, a name on no list) weighs as much as the rarest.
func (ix *Index) wordIDF(w string) float64 {
	return ix.idf(len(ix.tokens[w]))
}

// numberSigns are the words written before a number in a name ("Office
// No. 39", "CONSTELLO NO. 1"): the number names the thing, the sign does
// not, and a report writes it or leaves it out ("Office 39", which scored
// 0.750 against "Office No. 39" with the sign counted as a word).
var numberSigns = setOf("no", "nr", "num")

// numberSign reports whether word i is a number sign followed by a number.
// A name's first word is never one: "No" is also a Korean surname.
func numberSign(words []string, i int) bool {
	return i > 0 && i+1 < len(words) && numberSigns[words[i]] && isDigits(words[i+1])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// wordSimilarity compares two words at the exact, Latin-key and Korean-key
// levels, discounted as translit discounts them.
func wordSimilarity(a, b *tokenWord) float64 {
	if a.text == b.text {
		return 1
	}
	if isPatronymic(a.text) != isPatronymic(b.text) {
		return 0
	}
	s := translit.JaroWinkler(a.text, b.text)
	short := min(len(a.text), len(b.text)) <= shortKeyWord
	if s < 0.97 && (a.latin != a.text || b.latin != b.text) && (!short || a.latin == b.latin) {
		s = max(s, 0.97*translit.JaroWinkler(a.latin, b.latin))
	}
	if a.korean != "" && b.korean != "" && s < 0.94 && (!short || a.korean == b.korean) {
		s = max(s, 0.94*translit.JaroWinkler(a.korean, b.korean))
	}
	return s
}

// shortKeyWord is the length up to which two words meet at a key level
// only when their keys are equal. A key drops and folds letters, so the
// key of a short word is shorter still, and Jaro–Winkler's bonus for a
// shared beginning made keys that merely begin alike pair: "toss" and
// "tosee" (keys "tos" and "tosi", 0.905) made "Toss Bank" score 0.869
// against "TOSEE TAAVON BANK".
const shortKeyWord = 5

// patronymicEndings end a Russian, Belarusian or Ukrainian patronymic.
var patronymicEndings = []string{"ovich", "evich", "ovych", "evych", "ovna", "evna", "ivna", "ichna"}

// isPatronymic reports whether a normalised word reads as a patronymic. A
// patronymic is never the same word as a given name or a surname, however
// alike they look: "Viktorin" is not "Victorovich", nor "Vladislav"
// "Vladimirovich", and "Davydovich" (a father's name) is not the surname
// "DAVIDOVIC".
func isPatronymic(w string) bool {
	for _, e := range patronymicEndings {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// tokenScore scores query form q against alias form a: the IDF-weighted
// mean similarity of the query's words that have a counterpart, less
// missingWordCost times the share of each side's weight that has none. It
// returns 0 when fewer than minMatchedWords words correspond, and how many
// words did; weak reports that the words that correspond are all common
// (commonWord) while some word of either name corresponds to nothing:
// "Wang Luyang" and "WANG, Guoying", "Far Eastern Shipping" and "FAR
// EASTERN BANK" share only what thousands of names share.
func tokenScore(q, a *tokenForm) (score float64, paired int, weak bool) {
	if len(q.words) < minMatchedWords || len(a.words) < minMatchedWords {
		return 0, 0, false
	}
	qs, as := q.words, a.words
	if m := joinSplitWords(qs, as); m != nil {
		qs = m
	}
	if m := joinSplitWords(as, qs); m != nil {
		as = m
	}
	var aMatched [32]bool
	if len(as) > len(aMatched) {
		return 0, 0, false
	}
	var sum, weight, qMissing float64
	matched, distinct := 0, 0
	eastAsian := q.eastAsian && a.eastAsian
	for i := range qs {
		qw := &qs[i]
		best, bj := 0.0, -1
		for j := range as {
			if s := wordSimilarity(qw, &as[j]); s > best && s >= floorFor(qw, &as[j]) && !(eastAsian && otherSyllable(qw, &as[j])) {
				best, bj = s, j
			}
		}
		if bj < 0 {
			qMissing += qw.idf
			continue
		}
		matched++
		if !qw.common && !as[bj].common {
			distinct++
		}
		aMatched[bj] = true
		w := as[bj].idf
		sum += w * best
		weight += w
	}
	aMissing := 0.0
	for j := range as {
		if !aMatched[j] {
			aMissing += as[j].idf
		}
	}
	weak = distinct == 0 && (unmatchedWord(qs, as) || unmatchedWord(as, qs))
	if matched < minMatchedWords || weight == 0 {
		return 0, matched, weak
	}
	cost := missingWordCost
	if syllableName(qs) && syllableName(as) {
		cost = missingSyllableCost
	}
	return sum / weight * (1 - cost*(qMissing/q.mass+aMissing/a.mass)), matched, weak
}

// unmatchedWord reports whether a word of x, other than a remnant of a
// legal form, is like no word of y.
func unmatchedWord(x, y []tokenWord) bool {
	for i := range x {
		if legalRemnants[x[i].text] {
			continue
		}
		found := false
		for j := range y {
			if wordSimilarity(&x[i], &y[j]) >= floorFor(&x[i], &y[j]) {
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

// missingSyllableCost is missingWordCost between two names made of
// syllables only (syllableName): Korean and Chinese names are two or three
// syllables, each a third of the name, so a different or missing syllable
// of the given name cost about 0.13 and "Son Chae Hyok" scored 0.857
// against "SON, Jong Hyok" — another person.
const missingSyllableCost = 0.4

// syllableName reports whether every word has at most shortWord letters.
func syllableName(ws []tokenWord) bool {
	for i := range ws {
		if len(ws[i].text) > shortWord {
			return false
		}
	}
	return true
}

// joinSplitWords returns x with two neighbouring words joined into one
// where the other name writes them as one word ("Abu Obidah" and
// "Abu-Obaidah", normalised "abuobaidah"; "Daba Na Walna" and "DABA
// NAUALNA"), or nil when there is none. Keys already catch a name written
// with and without spaces when it is otherwise spelt the same; this is for
// the spacing and the spelling differing at once. The joined word must be
// at least joinedFloor like the other's word and more like it than either
// part is, and neither part may be a word of the other name as written,
// so that "Kim Jong Un" is never read as "Kim Jongun" against "Jong".
func joinSplitWords(x, y []tokenWord) []tokenWord {
	var out []tokenWord
	for i := 0; i < len(x); i++ {
		if i+1 < len(x) {
			if w, ok := joinable(&x[i], &x[i+1], y); ok {
				if out == nil {
					out = append(make([]tokenWord, 0, len(x)), x[:i]...)
				}
				out = append(out, w)
				i++
				continue
			}
		}
		if out != nil {
			out = append(out, x[i])
		}
	}
	return out
}

// joinable returns p and r joined, when that is one of y's words.
func joinable(p, r *tokenWord, y []tokenWord) (tokenWord, bool) {
	if hasWord(y, p.text) || hasWord(y, r.text) {
		return tokenWord{}, false
	}
	if w, ok := joinableKorean(p, r, y); ok {
		return w, true
	}
	if len(p.text) < minJoinedPart && !articles[p.text] || len(r.text) < minJoinedPart {
		return tokenWord{}, false
	}
	n := len(p.text) + len(r.text)
	for j := range y {
		t := y[j].text
		// Cheap tests first: most pairs are not near in length or do
		// not begin alike.
		if len(t) < n-2 || len(t) > n+2 || t[0] != p.text[0] {
			continue
		}
		joined := tokenWord{text: p.text + r.text, idf: p.idf + r.idf, common: p.common && r.common}
		joined.latin = translit.LatinKey(joined.text)
		s := wordSimilarity(&joined, &y[j])
		if s >= joinedFloor && s > wordSimilarity(p, &y[j]) && s > wordSimilarity(r, &y[j]) {
			return joined, true
		}
	}
	return tokenWord{}, false
}

// joinableKorean returns p and r joined when, as romanised Korean, they
// are the syllables of one of y's words: "Jae Il" and "Chae-Il", "Jong Sik"
// and "Cho'ng-sik" are one given name written apart and together, in two
// romanisations at once, which neither the spelling nor the length of the
// parts can tell (one- and two-letter syllables are never joined above).
func joinableKorean(p, r *tokenWord, y []tokenWord) (tokenWord, bool) {
	if p.korean == "" || r.korean == "" || len(p.text) < 2 || len(r.text) < 2 {
		return tokenWord{}, false
	}
	key := translit.KoreanKey(p.text + r.text)
	for j := range y {
		if y[j].korean == key {
			joined := tokenWord{text: p.text + r.text, idf: p.idf + r.idf, korean: key, common: p.common && r.common}
			joined.latin = translit.LatinKey(joined.text)
			return joined, true
		}
	}
	return tokenWord{}, false
}

// joinedFloor is how alike two words joined and the other name's one word
// must be to be read as one word.
const joinedFloor = 0.9

// minJoinedPart is the shortest word that is joined to its neighbour: one-
// and two-letter words are Chinese and Korean syllables or particles, and
// joined they resemble too many names ("Ta Pang" is not "Tapani"). The
// Arabic article is the exception: written apart or hyphenated (and so
// joined by normalisation), "Al Fawaz" is "Al-Fawwaz".
const minJoinedPart = 3

var articles = map[string]bool{"al": true, "el": true, "ul": true}

func hasWord(ws []tokenWord, t string) bool {
	for i := range ws {
		if ws[i].text == t {
			return true
		}
	}
	return false
}

// numbersAgree reports whether two names carry the same numbers. A ship's
// number is part of its identity: "Chon Myong 1" is not "Chon Myong 2".
// A name with no number agrees with any.
func numbersAgree(q, a *tokenForm) bool {
	if len(q.nums) == 0 || len(a.nums) == 0 {
		return true
	}
	for _, n := range q.nums {
		found := false
		for _, m := range a.nums {
			found = found || n == m
		}
		if !found {
			return false
		}
	}
	return true
}

// syllablesAgree is the cross-script check for a query in Han or Hangul
// against a Latin alias. A Han or Hangul name is a few one-syllable words,
// and one of them matches some listed name in every romanisation ("晨 张"
// and "WANG, Chen"), so more than one syllable of evidence is required: every
// word of the alias must be made of the query's syllables (equal, or equal
// as Korean keys; "jongun" is "jong" and "un"), and every syllable of the
// query, at least two, must be used.
func syllablesAgree(q []tokenForm, a *tokenForm) bool {
	for i := range q {
		if syllablesCover(&q[i], a) {
			return true
		}
	}
	return false
}

func syllablesCover(q *tokenForm, a *tokenForm) bool {
	if len(q.words) < 2 || len(a.words) == 0 || len(q.words) > 8 {
		return false
	}
	var used [8]bool
	var order []int // the query syllables in the alias's order
	// find returns the query syllable that x is, or -1.
	find := func(x string) int {
		kx := translit.KoreanKey(x)
		for i := range q.words {
			w := &q.words[i]
			if w.text == x || w.korean != "" && w.korean == kx {
				return i
			}
		}
		return -1
	}
	for j := range a.words {
		if !splitSyllables(a.words[j].text, find, &used, &order, 3) {
			return false
		}
	}
	for i := range q.words {
		if !used[i] {
			return false
		}
	}
	return inRotation(order)
}

// inRotation reports whether the syllable numbers run in the query's order,
// the surname moved from the end to the front or the other way: "은정 김"
// (Eun Jeong Kim) is Kim Eun Jeong, never Kim Jong Un.
func inRotation(order []int) bool {
	start := 0
	for k := 1; k < len(order); k++ {
		if order[k] < order[k-1] {
			start = k
			break
		}
	}
	for k := 1; k < len(order); k++ {
		i, j := (start+k-1)%len(order), (start+k)%len(order)
		if order[j] != order[i]+1 {
			return false
		}
	}
	return true
}

// splitSyllables reports whether w is a concatenation of at most n query
// syllables, and marks them used.
func splitSyllables(w string, find func(string) int, used *[8]bool, order *[]int, n int) bool {
	if i := find(w); i >= 0 {
		used[i] = true
		*order = append(*order, i)
		return true
	}
	if n <= 1 {
		return false
	}
	for cut := 1; cut < len(w); cut++ {
		if i := find(w[:cut]); i >= 0 {
			mark := len(*order)
			*order = append(*order, i)
			if splitSyllables(w[cut:], find, used, order, n-1) {
				used[i] = true
				return true
			}
			*order = (*order)[:mark]
		}
	}
	return false
}

// otherSyllable reports whether two words of Korean or Chinese names are
// different syllables: both short and romanised Korean, with different
// Korean keys. The keys already meet wherever romanisations differ
// (Jong/Jung/Chong, Ri/Lee/Yi, Choe/Choi), so what they keep apart is
// another syllable however alike it is spelt: "yong" and "myong" are 0.93
// alike, "hyo" and "hyok" 0.94, and they made "Jon Hyo Ju" score 0.873
// against "Ju Hyok" and "Sung Yun Song" 0.953 against "YU SONG 12".
func otherSyllable(a, b *tokenWord) bool {
	return a.korean != "" && b.korean != "" && len(a.text) <= maxSyllable && len(b.text) <= maxSyllable && a.korean != b.korean
}

// maxSyllable is the length up to which a romanised Korean word is taken
// for one syllable; the few six-letter syllables ("myeong", "hyeong") and
// joined given names are left to spelling.
const maxSyllable = 5
