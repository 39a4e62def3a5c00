package screen

import "strings"

// slavicNamesDiffer reports whether two Russian, Ukrainian or Belarusian
// names contradict each other in every pair of their spellings: both carry
// a patronymic and none of the one's is like one of the other's (another
// father: "OREKHOV, Iurii Denisovich" is not "OREKHOV, Yury Yuryevich",
// 0.870), or both carry a surname of a Slavic form and none of the one's is
// like one of the other's (another family: "ZHURAVLEV, Viktor
// Filippovich" is not "RASHNIKOV, Viktor Filippovich", 0.848; "Gennadii
// Evseev" not "MEDVEDEV, Gennadiy", 0.885). A given name, however rare,
// is shared by many; translit's Similarity still paired the other words
// at 0.75 and more. Such names are a candidate at most (weakEvidenceCap).
func slavicNamesDiffer(q, a []tokenForm) bool {
	for i := range q {
		for j := range a {
			x, y := q[i].words, a[j].words
			if !noneAlike(x, y, isPatronymic) && !noneAlike(x, y, slavicSurname) {
				return false
			}
		}
	}
	return len(q) > 0 && len(a) > 0
}

// noneAlike reports whether both x and y have words of a kind and no word
// of that kind in x is like one in y.
func noneAlike(x, y []tokenWord, kind func(string) bool) bool {
	seenX, seenY := false, false
	for i := range x {
		if !kind(x[i].text) {
			continue
		}
		seenX = true
		for j := range y {
			if !kind(y[j].text) {
				continue
			}
			seenY = true
			if wordSimilarity(&x[i], &y[j]) >= floorFor(&x[i], &y[j]) {
				return false
			}
		}
	}
	if !seenY {
		for j := range y {
			seenY = seenY || kind(y[j].text)
		}
	}
	return seenX && seenY
}

// slavicSurnameEndings are the endings of surnames that are nothing else:
// -in and -ina, which surnameEndings also counts, end given names too
// (Konstantin, Irina) and names of other languages (Hussein, Amin).
var slavicSurnameEndings = []string{"ov", "ev", "ova", "eva", "sky", "skiy", "skii", "skaya", "enko", "yn", "yna"}

// slavicSurname reports whether a word of four letters or more ends as a
// Slavic surname and is no patronymic.
func slavicSurname(w string) bool {
	if len(w) < 4 || isPatronymic(w) {
		return false
	}
	for _, e := range slavicSurnameEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}
