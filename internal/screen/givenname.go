package screen

import (
	"strings"

	"tipline/internal/screen/translit"
)

// koreanGivenNamesDiffer reports whether two Korean names, each a frequent
// surname and a given name, one of them writing the given name as one word
// ("Kim Yun-seo", "Oh Yeong-u"), have different given names once both are
// written as one word: their Korean keys, which meet wherever romanisations
// differ ("Chae-Il" and "Jae Il", "Cho'ng-sik" and "Jong Sik"), differ.
// Word by word a joined given name pairs with nothing of the other's or
// with one syllable of it, so the syllable rules (eastAsianSyllablesDiffer)
// never saw it, while translit's Similarity paired the whole word with the
// nearest: "Kim Yun-seo" scored 0.901 against "Kim Young-Cheol", "Oh
// Yeong-u" 0.857 against "O, Yong Ho". Such names are another person;
// a shared surname is a candidate at most (weakEvidenceCap).
//
// Given names spelt alike (givenNameTypo) are left to the other rules: a
// letter dropped or doubled changes the key ("Ton-ho" and "Tong-ho",
// "Je-on" and "Je-Son") but not the person meant.
func koreanGivenNamesDiffer(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			x, y := givenName(q[i].words), givenName(a[j].words)
			if x == nil || y == nil || len(x) > 1 && len(y) > 1 {
				return false
			}
			gx, gy := joinTexts(x), joinTexts(y)
			if translit.KoreanKey(gx) == translit.KoreanKey(gy) || translit.JaroWinkler(gx, gy) >= givenNameTypo {
				return false
			}
		}
	}
	return len(q) > 0 && len(a) > 0
}

// givenName returns the words of a Korean name other than its surname —
// a frequent surname first or last — or nil when the name is not two or
// three words of romanised Korean with such a surname.
func givenName(ws []tokenWord) []tokenWord {
	if len(ws) < 2 || len(ws) > 3 {
		return nil
	}
	for i := range ws {
		if ws[i].korean == "" {
			return nil
		}
	}
	switch {
	case commonSurnames[ws[0].text]:
		return ws[1:]
	case commonSurnames[ws[len(ws)-1].text]:
		return ws[:len(ws)-1]
	}
	return nil
}

func joinTexts(ws []tokenWord) string {
	var b strings.Builder
	for i := range ws {
		b.WriteString(ws[i].text)
	}
	return b.String()
}

// givenNameTypo is the Jaro–Winkler similarity from which two given names
// written as one word are taken for one name misspelt: a letter dropped,
// doubled or changed leaves them 0.91 alike and more ("Byong-chun" and
// "Byong-chol"), while different given names stay under 0.85 ("Yun-seo"
// and "Young-Cheol" 0.68, "Yeong-u" and "Yong-ho" 0.80).
const givenNameTypo = 0.9
