package screen

import (
	"cmp"
	"slices"
)

// NameHitsHoldingOut matches q as a name, every score kept, with the
// entry's name number name (of the entry keyed key) hidden from the index:
// the evaluation's way to hold an alias out without rebuilding the index.
func (ix *Index) NameHitsHoldingOut(q, key string, name int) []Hit {
	ms := ix.matchNameSkip(q, 0, func(ai int32) bool {
		a := &ix.aliases[ai]
		return int(a.name) == name && ix.entries[a.entry].e.Key() == key
	})
	hits := make([]Hit, 0, len(ms))
	for _, m := range ms {
		hits = append(hits, ix.nameHit(m, q))
	}
	slices.SortFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	return hits
}
