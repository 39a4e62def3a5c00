package screen

import (
	"slices"
	"strings"
)

// maxSameAs bounds a group of entries linked by one shared key: a key that
// many entries share (a common name, a flag-of-convenience call sign
// reused) says nothing about identity.
const maxSameAs = 6

// linkSameAs records, for each entry, the other entries that are the same
// ship or party: the same ship IMO, company IMO, MMSI or wallet address, or
// the same strong name of the same kind in another source (for persons, only
// when their dates of birth do not contradict each other). Links are direct,
// never transitive, so one wrong link cannot chain two groups together.
func (ix *Index) linkSameAs() {
	groups := map[string][]int32{}
	for key, ents := range ix.ids {
		if !strings.HasPrefix(key, string(IDCallSign)+":") {
			groups[key] = ents
		}
	}
	for ai := range ix.aliases {
		a := &ix.aliases[ai]
		e := ix.entries[a.entry].e
		n := e.Names[a.name]
		if n.Quality == NameWeakAlias || len(a.c.Analysis.Tokens) < 2 {
			continue
		}
		key := "name:" + string(e.Kind) + ":" + a.c.Analysis.Text
		groups[key] = appendUnique(groups[key], a.entry)
	}
	links := make([]map[int32]bool, len(ix.entries))
	for key, ents := range groups {
		if len(ents) < 2 || len(ents) > maxSameAs {
			continue
		}
		byName := strings.HasPrefix(key, "name:")
		for _, a := range ents {
			for _, b := range ents {
				if a == b {
					continue
				}
				ea, eb := ix.entries[a].e, ix.entries[b].e
				if byName && (ea.Source == eb.Source || !datesAgree(ea, eb)) {
					continue
				}
				if links[a] == nil {
					links[a] = map[int32]bool{}
				}
				links[a][b] = true
			}
		}
	}
	for i, l := range links {
		for b := range l {
			ix.entries[i].sameAs = append(ix.entries[i].sameAs, ix.entries[b].e.Key())
		}
		slices.Sort(ix.entries[i].sameAs)
	}
}

// datesAgree reports whether two entries' birth dates allow them to be one
// person: either side gives none, or one date is a prefix of another
// ("1964" and "1964-03-12").
func datesAgree(a, b *Entry) bool {
	if len(a.BirthDates) == 0 || len(b.BirthDates) == 0 {
		return true
	}
	for _, x := range a.BirthDates {
		for _, y := range b.BirthDates {
			if strings.HasPrefix(x, y) || strings.HasPrefix(y, x) {
				return true
			}
		}
	}
	return false
}
