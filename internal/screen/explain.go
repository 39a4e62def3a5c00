package screen

import (
	"fmt"
	"strings"

	"tipline/internal/screen/ident"
	"tipline/internal/screen/translit"
)

// identifierHit explains an exact identifier match in words an analyst can
// check against the list: which number, what the list says it is, of whom,
// on which list and version.
func (ix *Index) identifierHit(m match, f ident.Found) Hit {
	ie := &ix.entries[m.entry]
	e := ie.e
	typ, value, _ := strings.Cut(m.key, ":")
	listed := value
	for _, id := range e.Identifiers {
		if string(id.Type) == typ && (id.Value == value || walletKey(id.Currency, id.Value) == value) {
			listed = id.Value
			if id.Currency != "" {
				listed = id.Currency + " " + id.Value
			}
			break
		}
	}
	h := ix.baseHit(ie)
	h.Matched, h.Score = listed, 1
	var what string
	switch IDType(typ) {
	case IDIMO:
		what = "the ship IMO number"
		if f.Type == ident.TypeCompanyIMO {
			what = "the ship IMO number (the query called it a company number)"
		}
	case IDCompanyIMO:
		what = "the company IMO number"
		if f.Type == ident.TypeIMO {
			what = "the company (registered-owner) IMO number"
		}
	case IDMMSI:
		what = "an MMSI"
	case IDCallSign:
		what = "a call sign"
	case "wallet":
		what = "a digital currency address"
		h.Kind = KindWallet
	}
	h.Why = fmt.Sprintf("%s %s is %s of %s on %s", identLabel(f), f.Value, what, describeEntry(e), ie.list)
	return h
}

// nameHit explains a fuzzy name match: the query's words, the list's name,
// its quality, the score and what normalisation set aside.
func (ix *Index) nameHit(m match, queried string) Hit {
	a := &ix.aliases[m.alias]
	ie := &ix.entries[a.entry]
	n := ie.e.Names[a.name]
	h := ix.baseHit(ie)
	h.Matched, h.Score = n.Text, round3(m.score)
	how := "matches"
	if m.score >= 0.9999 {
		how = "is, once normalised,"
	}
	var quality string
	switch {
	case n.Quality == NamePrimary:
		quality = "the listed name"
	case n.Quality == NameOriginalScript:
		quality = "the original-script name"
	case n.Quality == NameWeakAlias:
		quality = "the weak alias (the list calls it too vague to rely on alone)"
	case n.Former:
		quality = "the former name"
	default:
		quality = "the alias"
	}
	h.Why = fmt.Sprintf("%q %s %s %q of %s on %s (similarity %.2f)", queried, how, quality, n.Text, describeEntry(ie.e), ie.list, m.score)
	if removed := a.c.Analysis.Removed; len(removed) > 0 {
		h.Why += "; ignored in the listed name: " + strings.Join(removed, ", ")
	}
	if m.score < 0.9999 {
		h.Why += ix.agreement(queried, a)
	}
	return h
}

// agreement says which words of a query and a listed name correspond, word
// by word, which have no counterpart, and whether those in common are all
// common words (commonWord) — what an analyst weighs before calling two
// names the same.
func (ix *Index) agreement(queried string, a *alias) string {
	c := translit.Compile(queried)
	qw := ix.tokenForms(&c)
	if len(qw) == 0 || len(a.words) == 0 {
		return ""
	}
	// The pair of spellings whose words correspond best.
	q, l, best := &qw[0], &a.words[0], -1.0
	for i := range qw {
		for j := range a.words {
			if t, n, _ := tokenScore(&qw[i], &a.words[j]); float64(n)+t > best {
				q, l, best = &qw[i], &a.words[j], float64(n)+t
			}
		}
	}
	var same, onlyQuery []string
	used := make([]bool, len(l.words))
	allCommon := true
	for i := range q.words {
		w, bj, bs := &q.words[i], -1, 0.0
		for j := range l.words {
			if s := wordSimilarity(w, &l.words[j]); s > bs && s >= floorFor(w, &l.words[j]) {
				bj, bs = j, s
			}
		}
		if bj < 0 {
			onlyQuery = append(onlyQuery, w.text)
			continue
		}
		used[bj] = true
		allCommon = allCommon && w.common && l.words[bj].common
		if w.text == l.words[bj].text {
			same = append(same, w.text)
		} else {
			same = append(same, w.text+" ~ "+l.words[bj].text)
		}
	}
	var onlyList []string
	for j, u := range used {
		if !u {
			onlyList = append(onlyList, l.words[j].text)
		}
	}
	var b strings.Builder
	if len(same) > 0 {
		b.WriteString("; words in common: " + strings.Join(same, ", "))
		if allCommon {
			b.WriteString(" (all of them common words: a frequent surname, a generic word or a place name)")
		}
	} else {
		b.WriteString("; no word in common word by word")
	}
	if len(onlyQuery) > 0 {
		b.WriteString("; only in the query: " + strings.Join(onlyQuery, ", "))
	}
	if len(onlyList) > 0 {
		b.WriteString("; only in the listed name: " + strings.Join(onlyList, ", "))
	}
	return b.String()
}

func (ix *Index) baseHit(ie *indexedEntry) Hit {
	return Hit{
		Source:  ie.e.Source,
		ID:      ie.e.ID,
		Name:    ie.e.PrimaryName(),
		Kind:    ie.e.Kind,
		SameAs:  ie.sameAs,
		Version: ie.version,
	}
}

func identLabel(f ident.Found) string {
	switch f.Type {
	case ident.TypeIMO:
		return "IMO"
	case ident.TypeCompanyIMO:
		return "company IMO"
	case ident.TypeMMSI:
		return "MMSI"
	case ident.TypeCallSign:
		return "call sign"
	}
	return "the " + f.Currency + " address"
}

func describeEntry(e *Entry) string {
	kind := map[Kind]string{KindPerson: "person", KindOrganization: "organisation", KindVessel: "vessel"}[e.Kind]
	return fmt.Sprintf("the %s %s (%s)", kind, e.PrimaryName(), e.Key())
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
