package screen

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// maxSameAs bounds a group of entries linked by one shared key: a key that
// many entries share (a common name, a flag-of-convenience call sign
// reused) says nothing about identity.
const maxSameAs = 6

// link is one same-as link from an entry to another.
type link struct {
	entry int32
	// why says what the two entries share ("the same IMO number", ...).
	why string
	// fixed is set when an identifier or document made the link; byName
	// lists the pairs of aliases (this entry's, the other's) whose names
	// did. The evaluation drops a link that only a held-out alias made.
	fixed  bool
	byName [][2]int32
	// minPairs is how many of byName must stand for the link to stand
	// (0 means one).
	minPairs int
}

// linkMember is an entry in a group that shares a key, with the alias
// that carries the key (-1 for identifiers).
type linkMember struct {
	entry, alias int32
}

// linkSameAs records, for each entry, the other entries that are the same
// ship or party:
//   - the same ship IMO, company IMO, MMSI or wallet address;
//   - persons: the same passport or national identity number (at least six
//     letters and digits, one a digit) in different sources, with birth
//     dates and nationalities that do not contradict, when no source gives
//     the number to two of its entries (the UN lists two men with the same
//     two passports); or the same strong name of at least two words, word order
//     ignored ("NZEYIMANA, Stanislas" and "STANISLAS NZEYIMANA"), with a
//     birth date in common and nationalities that do not contradict. A
//     shared name alone never links two persons;
//   - organisations and vessels: the same strong name of at least two words
//     in another source, or two or more such names, weak aliases included.
//
// Links are direct, never transitive, so one wrong link cannot chain two
// groups together.
func (ix *Index) linkSameAs() {
	groups := map[string][]linkMember{}
	add := func(key string, m linkMember) {
		for _, o := range groups[key] {
			if o == m {
				return
			}
		}
		groups[key] = append(groups[key], m)
	}
	for key, ents := range ix.ids {
		if !strings.HasPrefix(key, string(IDCallSign)+":") {
			for _, ei := range ents {
				add(key, linkMember{ei, -1})
			}
		}
	}
	for ei := range ix.entries {
		e := ix.entries[ei].e
		if e.Kind != KindPerson {
			continue
		}
		for _, id := range e.Identifiers {
			if id.Type == IDPassport || id.Type == IDNationalID {
				if v := documentKey(id.Value); v != "" {
					add("document:"+v, linkMember{int32(ei), -1})
				}
			}
		}
	}
	for ai := range ix.aliases {
		a := &ix.aliases[ai]
		e := ix.entries[a.entry].e
		n := e.Names[a.name]
		if len(a.c.Analysis.Tokens) < 2 {
			continue
		}
		if e.Kind != KindPerson {
			add("shared:"+string(e.Kind)+":"+a.c.Analysis.Text, linkMember{a.entry, int32(ai)})
		}
		if n.Quality == NameWeakAlias {
			continue
		}
		text := a.c.Analysis.Text
		if e.Kind == KindPerson {
			words := strings.Fields(text)
			slices.Sort(words)
			text = strings.Join(words, " ")
		}
		add("name:"+string(e.Kind)+":"+text, linkMember{a.entry, int32(ai)})
	}
	links := make([]map[int32]*link, len(ix.entries))
	// shared collects, for organisations and vessels in different sources,
	// the pairs of aliases with the same name, weak aliases included.
	shared := map[[2]int32][][2]int32{}
	// In key order, so that the index (which reason a link gives first, and
	// so its explanation) is the same on every build.
	keys := make([]string, 0, len(groups))
	for key := range groups {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		ms := groups[key]
		ents := map[int32]bool{}
		for _, m := range ms {
			ents[m.entry] = true
		}
		if len(ents) < 2 || len(ents) > maxSameAs {
			continue
		}
		kind, _, _ := strings.Cut(key, ":")
		if kind == "document" && sourceRepeats(ix, ms) {
			continue
		}
		if kind == "shared" {
			for _, x := range ms {
				for _, y := range ms {
					if x.entry != y.entry && ix.entries[x.entry].e.Source != ix.entries[y.entry].e.Source {
						k := [2]int32{x.entry, y.entry}
						if _, ok := shared[k]; !ok || !slices.ContainsFunc(shared[k], func(p [2]int32) bool { return ix.aliases[p[0]].c.Analysis.Text == ix.aliases[x.alias].c.Analysis.Text }) {
							shared[k] = append(shared[k], [2]int32{x.alias, y.alias})
						}
					}
				}
			}
			continue
		}
		for _, x := range ms {
			for _, y := range ms {
				if x.entry == y.entry {
					continue
				}
				ea, eb := ix.entries[x.entry].e, ix.entries[y.entry].e
				var why string
				switch {
				case kind == "document":
					if !datesAgree(ea, eb) || !nationalitiesAgree(ea, eb) {
						continue
					}
					why = "the same passport or identity number"
				case kind == "name" && ea.Kind == KindPerson:
					if !datesShared(ea, eb) || !nationalitiesAgree(ea, eb) {
						continue
					}
					why = "the same name and date of birth"
				case kind == "name":
					if ea.Source == eb.Source {
						continue
					}
					why = "the same name"
				default:
					why = "the same " + identifierWords(kind)
				}
				addLink(links, x, y, why)
			}
		}
	}
	// Two organisations or ships in different sources that share two or
	// more names, weak aliases included, are one: OFAC's sdn.csv gives its
	// a.k.a.s as weak aliases only, so the UN's "ISLAMIC STATE IN IRAQ AND
	// THE LEVANT - LIBYA" meets OFAC's entry only there.
	for k, pairs := range shared {
		if len(pairs) < minSharedNames || links[k[0]] != nil && links[k[0]][k[1]] != nil {
			continue
		}
		for _, p := range pairs {
			addLink(links, linkMember{k[0], p[0]}, linkMember{k[1], p[1]}, "two or more of the same names")
		}
		links[k[0]][k[1]].minPairs = minSharedNames
	}
	ix.linkPartialNames(links)
	for i, ls := range links {
		for _, l := range ls {
			ix.entries[i].links = append(ix.entries[i].links, *l)
		}
		slices.SortFunc(ix.entries[i].links, func(a, b link) int {
			return strings.Compare(ix.entries[a.entry].e.Key(), ix.entries[b.entry].e.Key())
		})
		for _, l := range ix.entries[i].links {
			ix.entries[i].sameAs = append(ix.entries[i].sameAs, ix.entries[l.entry].e.Key())
		}
	}
}

// addLink records that x's entry is y's, for the reason why; a link made
// by names (both aliases set) keeps the pair of aliases.
func addLink(links []map[int32]*link, x, y linkMember, why string) {
	if links[x.entry] == nil {
		links[x.entry] = map[int32]*link{}
	}
	l := links[x.entry][y.entry]
	if l == nil {
		l = &link{entry: y.entry, why: why}
		links[x.entry][y.entry] = l
	}
	if x.alias >= 0 && y.alias >= 0 {
		l.byName = append(l.byName, [2]int32{x.alias, y.alias})
	} else if !l.fixed {
		l.fixed, l.why = true, why
	}
}

// maxPartialGroup bounds the persons born in one year who share one word
// of a name, among which partial names are compared pairwise.
const maxPartialGroup = 40

// linkPartialNames links persons when the words of one's strong name are
// all in one of the other's ("KAKAR, Saleh Mohammad" and "SALEH MOHAMMAD
// KAKAR AKHTAR MUHAMMAD"), they share a birth date and their nationalities
// do not contradict: the lists often give one source's name in full and the
// other's shortened. The shorter name needs three words, or two when the
// shared date is a full day.
func (ix *Index) linkPartialNames(links []map[int32]*link) {
	groups := map[string][]int32{}
	for ai := range ix.aliases {
		a := &ix.aliases[ai]
		e := ix.entries[a.entry].e
		if e.Kind != KindPerson || e.Names[a.name].Quality == NameWeakAlias || len(a.c.Analysis.Tokens) < 2 {
			continue
		}
		for _, d := range e.BirthDates {
			year := birthDateForm(d)
			if len(year) < 4 {
				continue
			}
			for _, w := range a.c.Analysis.Tokens {
				k := year[:4] + ":" + w
				if g := groups[k]; len(g) == 0 || g[len(g)-1] != int32(ai) {
					groups[k] = append(g, int32(ai))
				}
			}
		}
	}
	// Every pair of aliases that makes a link is recorded, not only the
	// first found, so that holding one alias out (the evaluation) drops the
	// link only when no other pair makes it, whatever order the groups are
	// visited in. Links made before, by stronger evidence, are left alone.
	made := map[[2]int32]bool{}
	for _, g := range groups {
		if len(g) < 2 || len(g) > maxPartialGroup {
			continue
		}
		for _, x := range g {
			for _, y := range g {
				ax, ay := &ix.aliases[x], &ix.aliases[y]
				if ax.entry == ay.entry || len(ax.c.Analysis.Tokens) > len(ay.c.Analysis.Tokens) {
					continue
				}
				pair := [2]int32{ax.entry, ay.entry}
				if links[ax.entry] != nil && links[ax.entry][ay.entry] != nil && !made[pair] {
					continue
				}
				if l := links[ax.entry][ay.entry]; l != nil && slices.Contains(l.byName, [2]int32{x, y}) {
					continue
				}
				ea, eb := ix.entries[ax.entry].e, ix.entries[ay.entry].e
				if !wordsWithin(ax.c.Analysis.Tokens, ay.c.Analysis.Tokens) || !nationalitiesAgree(ea, eb) {
					continue
				}
				full := fullDateShared(ea, eb)
				if !full && (len(ax.c.Analysis.Tokens) < 3 || !datesShared(ea, eb)) {
					continue
				}
				why := "one's name within the other's, and the same date of birth"
				made[pair], made[[2]int32{ay.entry, ax.entry}] = true, true
				addLink(links, linkMember{ax.entry, x}, linkMember{ay.entry, y}, why)
				addLink(links, linkMember{ay.entry, y}, linkMember{ax.entry, x}, why)
			}
		}
	}
}

// wordsWithin reports whether every word of a is a distinct word of b.
func wordsWithin(a, b []string) bool {
	used := make([]bool, len(b))
	for _, w := range a {
		found := false
		for j, v := range b {
			if !used[j] && v == w {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// fullDateShared reports whether the entries give the same full birth date.
func fullDateShared(a, b *Entry) bool {
	for _, x := range a.BirthDates {
		for _, y := range b.BirthDates {
			if x, y := strings.TrimSuffix(x, "~"), strings.TrimSuffix(y, "~"); len(x) == 10 && x == y {
				return true
			}
		}
	}
	return false
}

// sourceRepeats reports whether two of the group's entries are from the
// same source.
func sourceRepeats(ix *Index, ms []linkMember) bool {
	seen := map[Source]int32{}
	for _, m := range ms {
		ei := m.entry
		src := ix.entries[ei].e.Source
		if o, ok := seen[src]; ok && o != ei {
			return true
		}
		seen[src] = ei
	}
	return false
}

// heldOut reports whether the link exists only through alias ai.
func (l *link) heldOut(ai int32) bool {
	if l.fixed {
		return false
	}
	left := 0
	for _, p := range l.byName {
		if p[0] != ai && p[1] != ai {
			left++
		}
	}
	return left < max(1, l.minPairs)
}

// minSharedNames is how many names, weak aliases included, two
// organisations or ships in different sources must share to be linked.
const minSharedNames = 2

// identifierWords names an identifier key's type for an explanation.
func identifierWords(typ string) string {
	switch IDType(typ) {
	case IDIMO:
		return "IMO number"
	case IDCompanyIMO:
		return "company IMO number"
	case IDMMSI:
		return "MMSI"
	}
	return "wallet address"
}

// documentKey is a passport or identity number in comparison form: letters
// and digits only, upper case; empty when it is too short or has no digit
// to identify anyone.
func documentKey(v string) string {
	k := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return -1
	}, v)
	if len(k) < 6 || strings.IndexFunc(k, unicode.IsDigit) < 0 {
		return ""
	}
	return k
}

// datesAgree reports whether two entries' birth dates allow them to be one
// person: either side gives none, or they share one (datesShared).
func datesAgree(a, b *Entry) bool {
	return len(a.BirthDates) == 0 || len(b.BirthDates) == 0 || datesShared(a, b)
}

// datesShared reports whether the entries give a birth date in common: one
// date is a prefix of another ("1964" and "1964-03-12"), ignoring the
// approximate marker ("1968~"); a range ("1973-01-01/1973-12-31") counts by
// its year.
func datesShared(a, b *Entry) bool {
	for _, x := range a.BirthDates {
		for _, y := range b.BirthDates {
			x, y := birthDateForm(x), birthDateForm(y)
			if x != "" && y != "" && (strings.HasPrefix(x, y) || strings.HasPrefix(y, x)) {
				return true
			}
		}
	}
	return false
}

func birthDateForm(d string) string {
	d = strings.TrimSuffix(d, "~")
	if from, to, ok := strings.Cut(d, "/"); ok {
		if len(from) >= 4 && len(to) >= 4 && from[:4] == to[:4] {
			return from[:4]
		}
		return ""
	}
	return d
}

// nationalitiesAgree reports whether two entries' nationalities allow them
// to be one person: either side gives none, or two of them share a
// distinctive word, one a prefix of the other ("Syria" and "Syrian Arab
// Republic", "Tanzania" and "United Republic of Tanzania").
func nationalitiesAgree(a, b *Entry) bool {
	if len(a.Nationalities) == 0 || len(b.Nationalities) == 0 {
		return true
	}
	for _, x := range a.Nationalities {
		for _, y := range b.Nationalities {
			for _, wx := range countryWords(x) {
				for _, wy := range countryWords(y) {
					if strings.HasPrefix(wx, wy) || strings.HasPrefix(wy, wx) {
						return true
					}
				}
			}
		}
	}
	return false
}

// countryWords are the words of a country name that tell it from others.
func countryWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "republic", "democratic", "people", "peoples", "state", "states", "united", "islamic",
			"federation", "arab", "kingdom", "the", "and", "of", "plurinational", "federal":
			continue
		}
		if len(w) >= 4 {
			out = append(out, w)
		}
	}
	return out
}

// addLinked adds to best, beside each hit at or above threshold, the
// entries linked to it as the same ship or party, at the hit's score and
// with a why that names the link: an analyst sees every listing of the
// party, and a listing whose own names were not matched is not missed.
// Links are followed one step only. A link made only through alias
// heldOut is not followed (-1 follows all; see NameHitsHoldingOut).
func (ix *Index) addLinked(best map[int32]Hit, threshold float64, heldOut int32) {
	var add []Hit
	var to []int32
	for ei, h := range best {
		if h.Score < threshold {
			continue
		}
		for _, l := range ix.entries[ei].links {
			if heldOut >= 0 && l.heldOut(heldOut) {
				continue
			}
			if old, ok := best[l.entry]; ok && old.Score >= h.Score {
				continue
			}
			ie := &ix.entries[l.entry]
			lh := ix.baseHit(ie)
			lh.Matched, lh.Score = h.Matched, h.Score
			lh.Why = fmt.Sprintf("same %s as %s:%s %s (%s): %s", kindNoun(ie.e.Kind), h.Source, h.ID, h.Name, l.why, h.Why)
			add, to = append(add, lh), append(to, l.entry)
		}
	}
	for i, h := range add {
		if old, ok := best[to[i]]; !ok || h.Score > old.Score {
			best[to[i]] = h
		}
	}
}

func kindNoun(k Kind) string {
	switch k {
	case KindPerson:
		return "person"
	case KindVessel:
		return "ship"
	}
	return "organisation"
}

// sameAsWithout is an entry's sameAs less the links made only through
// alias heldOut.
func (ix *Index) sameAsWithout(ei, heldOut int32) []string {
	var out []string
	for _, l := range ix.entries[ei].links {
		if !l.heldOut(heldOut) {
			out = append(out, ix.entries[l.entry].e.Key())
		}
	}
	return out
}
