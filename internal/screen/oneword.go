package screen

import (
	"strings"

	"tipline/internal/screen/translit"
)

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

// withoutArticle scores a one-word name against another that is the same
// word with an article in front, written apart or joined ("NICA" and "EL
// NICA", "el_nitr0jen" and "Nitr0jen", "Al-Habu" and "Habu"): the article
// names nothing, yet as a word of its own it halved the score (0.750) and
// glued on it kept the words apart. It returns how alike the two words
// are without the article (spelledAlike), or 0 when neither name is such.
func withoutArticle(q, a []tokenForm) float64 {
	best := 0.0
	for i := range q {
		for j := range a {
			if len(q[i].nums) > 0 || len(a[j].nums) > 0 {
				continue
			}
			x, y := q[i].words, a[j].words
			if w, ok := articleAnd(x); ok && len(y) == 1 {
				best = max(best, spelledAlike(w, &y[0]))
			}
			if w, ok := articleAnd(y); ok && len(x) == 1 {
				best = max(best, spelledAlike(&x[0], w))
			}
			if len(x) == 1 && len(y) == 1 {
				if t, ok := gluedArticle(x[0].text); ok && t == y[0].text {
					best = 1
				}
				if t, ok := gluedArticle(y[0].text); ok && t == x[0].text {
					best = 1
				}
			}
		}
	}
	return best
}

// nameArticles are the articles written apart in front of names: Spanish
// el and la, French le and la. Arabic al is left out as a word of its own:
// it is also a given name ("Al Green" is not "GREEN").
var nameArticles = setOf("el", "la", "le")

// gluedArticles are the Arabic articles joined to a name by a hyphen or
// underscore, which normalisation removes ("Al-Habu" → "alhabu").
var gluedArticles = []string{"al", "el"}

// articleAnd returns the second word of a name of two words whose first is
// an article.
func articleAnd(ws []tokenWord) (*tokenWord, bool) {
	if len(ws) != 2 || !nameArticles[ws[0].text] || len(ws[1].text) < 4 {
		return nil, false
	}
	return &ws[1], true
}

// gluedArticle returns a word without an article joined to its front, when
// at least four letters are left.
func gluedArticle(w string) (string, bool) {
	for _, a := range gluedArticles {
		if rest, ok := strings.CutPrefix(w, a); ok && len(rest) >= 4 {
			return rest, true
		}
	}
	return "", false
}
