package screen

import "tipline/internal/screen/translit"

// oneWordSpelling bounds the score of two one-word names by how alike they
// are spelt. translit's Similarity also compares Korean keys, a coarse key
// that drops an initial r or l and folds the consonants romanisations
// write differently (k and g, r and l, p and b): made for Korean names, it
// let one-word names meet that only sound alike after that folding —
// "E-Mart" / "LERMA" (keys "emat" and "ema", 0.885), "Kia" / "GIA" (0.940,
// the Algerian group's initials). Between one-word names the Korean key
// counts only when the keys are equal, the same word in another
// romanisation ("AMROGGANG" / "AMROKKANG"), and never for a word of three
// letters or fewer, which is initials or a syllable, not a name. On the
// evaluation's calibration half this cost one held-out alias whose keys
// are near, not equal ("NIRA" / "RIRA").
func oneWordSpelling(q, a []tokenForm, s float64) float64 {
	best := 0.0
	for i := range q {
		for j := range a {
			x, y := q[i].words, a[j].words
			if len(x) != 1 || len(y) != 1 {
				return s // a name of numbers, or of several words in some form
			}
			if len(q[i].nums) != len(a[j].nums) {
				return s
			}
			best = max(best, spelledAlike(&x[0], &y[0]))
		}
	}
	return best
}

// spelledAlike is wordSimilarity with the Korean key counted only when the
// keys are equal and the words longer than three letters.
func spelledAlike(a, b *tokenWord) float64 {
	if a.text == b.text {
		return 1
	}
	s := translit.JaroWinkler(a.text, b.text)
	s = max(s, 0.97*translit.JaroWinkler(a.latin, b.latin))
	if a.korean != "" && a.korean == b.korean && min(len(a.text), len(b.text)) > 3 {
		s = max(s, 0.94)
	}
	return s
}
