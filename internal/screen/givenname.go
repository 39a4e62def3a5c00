package screen

import (
	"regexp"
	"strings"

	"tipline/internal/screen/translit"
)

// koreanGivenNamesDiffer reports whether two Korean or Chinese names, each
// a surname and a given name, one of them writing the given name as one
// word ("Kim Yun-seo", "Oh Yeong-u", "Pang Xiyao"), have different given
// names once both are written as one word, however the surnames are read
// (givenNames): neither their Korean keys, which meet wherever
// romanisations differ ("Chae-Il" and "Jae Il", "Cho'ng-sik" and "Jong
// Sik"), nor their spellings agree. Word by word a joined given name pairs
// with nothing of the other's or with one syllable of it, so the syllable
// rules (eastAsianSyllablesDiffer) never saw it, while translit's
// Similarity paired the whole word with the nearest: "Kim Yun-seo" scored
// 0.901 against "Kim Young-Cheol", "Oh Yeong-u" 0.857 against "O, Yong
// Ho", "Shentu Yiquan" 0.878 against "SHEN, Luqian". Such names are
// another person; a shared surname is a candidate at most
// (weakEvidenceCap).
//
// Given names spelt alike (givenNameTypo) are left to the other rules: a
// letter dropped or doubled changes the key ("Ton-ho" and "Tong-ho",
// "Je-on" and "Je-Son") but not the person meant.
func koreanGivenNamesDiffer(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			xs, ys := givenNames(q[i].words, a[j].words), givenNames(a[j].words, q[i].words)
			if len(xs) == 0 || len(ys) == 0 {
				return false
			}
			for _, x := range xs {
				for _, y := range ys {
					if len(x) > 1 && len(y) > 1 {
						return false
					}
					gx, gy := joinTexts(x), joinTexts(y)
					if misspelt(gx, gy) || translit.KoreanKey(gx) == translit.KoreanKey(gy) {
						return false
					}
				}
			}
		}
	}
	return len(q) > 0 && len(a) > 0
}

// givenNames returns the ways to read a Korean or Chinese name (two or
// three words of romanised Korean or pinyin) as a surname, first or last,
// and a given name: the given name of each. The surname is a frequent one,
// or like a frequent surname of the other name (a misspelling, "ZHANNG,
// Wei" against "ZHANG, Wei"); "O, Yong Ho" reads both ways.
func givenNames(ws, other []tokenWord) [][]tokenWord {
	if len(ws) < 2 || len(ws) > 3 {
		return nil
	}
	for i := range ws {
		if ws[i].korean == "" && !ws[i].pinyin {
			return nil
		}
	}
	surname := func(w *tokenWord) bool {
		if commonSurnames[w.text] {
			return true
		}
		for j := range other {
			if commonSurnames[other[j].text] && wordSimilarity(w, &other[j]) >= floorFor(w, &other[j]) {
				return true
			}
		}
		return false
	}
	var out [][]tokenWord
	if surname(&ws[0]) {
		out = append(out, ws[1:])
	}
	if surname(&ws[len(ws)-1]) {
		out = append(out, ws[:len(ws)-1])
	}
	return out
}

func joinTexts(ws []tokenWord) string {
	var b strings.Builder
	for i := range ws {
		b.WriteString(ws[i].text)
	}
	return b.String()
}

// misspelt reports whether two given names written as one word are one
// name misspelt: alike (givenNameTypo) and at most two letters apart.
// Jaro–Winkler alone rewards a shared beginning: "Jiaming" and "Jian" are
// 0.90 alike, three letters apart, and two given names ("Zhang Jiaming"
// scored 0.950 against "ZHANG, Jian").
func misspelt(x, y string) bool {
	return translit.JaroWinkler(x, y) >= givenNameTypo && editDistance(x, y) <= 2
}

// editDistance is the Levenshtein distance between two ASCII words.
func editDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// givenNameTypo is the Jaro–Winkler similarity from which two given names
// written as one word are taken for one name misspelt: a letter dropped,
// doubled or changed leaves them 0.91 alike and more ("Byong-chun" and
// "Byong-chol"), while different given names stay under 0.85 ("Yun-seo"
// and "Young-Cheol" 0.68, "Yeong-u" and "Yong-ho" 0.80).
const givenNameTypo = 0.9

// markPinyin notes which words of a name of two or three words read as
// pinyin, for givenNames. Names are marked when they carry a frequent
// Korean or Chinese surname (tokenForms), and a query's names always
// (matchCompiled), since a query's surname may only be like the listed
// one's ("Shentu" and "SHEN"): running the expression on every word of
// every listed name cost a tenth of the index's build time.
func markPinyin(f *tokenForm) {
	if len(f.words) < 2 || len(f.words) > 3 {
		return
	}
	for i := range f.words {
		w := &f.words[i]
		w.pinyin = w.korean == "" && pinyinLike(w.text)
	}
}

// pinyinLike reports whether a word reads as one to three pinyin syllables
// (pinyinWord).
func pinyinLike(w string) bool { return pinyinWord.MatchString(w) }

// pinyinWord is an approximate pinyin word: initials, then a final, one to
// three times. It accepts what Chinese given names are written with
// ("xiaoming", "jiaming", "yiquan") and rejects most words of other
// languages.
var pinyinWord = regexp.MustCompile(`^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|[aeiouv])(?:ng|n|r)?){1,3}$`)
