package screen

import (
	"cmp"
	"slices"
)

// NameHitsHoldingOut matches q as a name, every score kept, with the
// entry's name number name (of the entry keyed key) hidden from the index:
// the evaluation's way to hold an alias out without rebuilding the index.
// Same-as links made only through the hidden name are hidden too.
func (ix *Index) NameHitsHoldingOut(q, key string, name int) []Hit {
	held := int32(-1)
	for ai := range ix.aliases {
		a := &ix.aliases[ai]
		if int(a.name) == name && ix.entries[a.entry].e.Key() == key {
			held = int32(ai)
			break
		}
	}
	ms := ix.matchNameSkip(q, 0, func(ai int32) bool { return ai == held })
	best := map[int32]Hit{}
	for _, m := range ms {
		if old, ok := best[m.entry]; !ok || m.score > old.Score {
			h := ix.nameHit(m, q)
			h.Score = m.score
			best[m.entry] = h
		}
	}
	ix.addLinked(best, 0, held)
	hits := make([]Hit, 0, len(best))
	for ei, h := range best {
		h.SameAs = ix.sameAsWithout(ei, held)
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	return hits
}
