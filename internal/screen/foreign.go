package screen

import "strings"

// A ship is named by its distinctive words. A report's ship name with a
// word of its own that no list uses at all and that no name of the listed
// ship carries, in any spelling, names another ship that shares words with
// the listed one: "Vasily Golovnin" is not "VASILY LANOVOY" (0.866). Word
// scoring charges a missing word missingWordCost of its share of the
// weight; such a foreign word is charged foreignWordCost more.
//
// Only ships, and only the query's words. For organisations the same
// charge cost recall on the evaluation's calibration half (0.9831 to
// 0.9825, "AKVA SOLID" / "OOO AQUA SOLID", "ANSAR AL-MOJAHEDIN NO-INTEREST
// LOAN INSTITUTE" / "ANSAR INSTITUTE") and more on the other half, for no
// fewer false positives: organisations' names on the lists vary by such
// words. A listed name longer than the report's is how the lists write
// names, and is left to word scoring (docs/screening.md, steps 14 and 21).

// foreignShare is the least share of a query form's weight held by
// distinctive words on no list that correspond to no word of any name of
// alias ai's entry (the names hidden by skip left out), over the query's
// Latin forms.
func (ix *Index) foreignShare(qw []tokenForm, ai int32, skip skipFunc) float64 {
	if len(qw) == 0 {
		return 0
	}
	a := &ix.aliases[ai]
	// An entry's names are indexed in order, one alias each; the bounds
	// are checked all the same (entryHasWord).
	first := max(ai-int32(a.name), 0)
	last := min(first+int32(len(ix.entries[a.entry].e.Names)), int32(len(ix.aliases)))
	share := 1.0
	for i := range qw {
		f := &qw[i]
		foreign := 0.0
		for j := range f.words {
			w := &f.words[j]
			if distinctive(w) && !ix.listed(w.text, skip) && !ix.entryHasWord(w, a.entry, first, last, skip) {
				foreign += w.idf
			}
		}
		if f.mass > 0 {
			share = min(share, foreign/f.mass)
		} else {
			share = 0
		}
	}
	return share
}

// entryHasWord reports whether some name of entry ei among aliases first
// to last has a word that w corresponds to.
func (ix *Index) entryHasWord(w *tokenWord, ei, first, last int32, skip skipFunc) bool {
	for ai := first; ai < last; ai++ {
		if ix.aliases[ai].entry != ei || skip != nil && skip(ai) {
			continue
		}
		// Written together, two words of the name are one word of the
		// query ("REDHAND DEFENDERS", "CHON-MYONG 1").
		if strings.Contains(ix.aliases[ai].flat, w.text) {
			return true
		}
		for _, f := range ix.aliases[ai].words {
			for j := range f.words {
				if wordSimilarity(w, &f.words[j]) >= floorFor(w, &f.words[j]) {
					return true
				}
			}
		}
	}
	return false
}

// distinctive reports whether a word says which company or ship is meant:
// not a common word, a remnant of a legal form or a title.
func distinctive(w *tokenWord) bool {
	return !w.common && !legalRemnants[w.text] && !titles[w.text] && !transliteratedLegalWords[w.text]
}

// foreignWordCost is the share of a foreign word's weight taken off the
// score, beyond what word scoring already charges a missing word.
const foreignWordCost = 0.2

// numberForeign reports whether the query carries a number that no name of
// vessel alias ai's entry carries, while alias ai carries none (numbersAgree
// already holds two numbered names to the same numbers). A ship's number is
// part of its name: "Lucky Star 8" is another ship than "LUCKY STAR"
// (1.000 before), as "Chon Myong 2" is than "Chon Myong 1". The other way
// round is left alone: a report may name "the Chon Myong" without its
// number.
func (ix *Index) numberForeign(qw []tokenForm, ai int32, skip skipFunc) bool {
	a := &ix.aliases[ai]
	if len(qw) == 0 || len(qw[0].nums) == 0 || len(a.words) == 0 || len(a.words[0].nums) > 0 {
		return false
	}
	first := max(ai-int32(a.name), 0)
	last := min(first+int32(len(ix.entries[a.entry].e.Names)), int32(len(ix.aliases)))
	for _, n := range qw[0].nums {
		for k := first; k < last; k++ {
			b := &ix.aliases[k]
			if b.entry != a.entry || skip != nil && skip(k) || len(b.words) == 0 {
				continue
			}
			for _, m := range b.words[0].nums {
				if m == n {
					return false
				}
			}
		}
	}
	return true
}
