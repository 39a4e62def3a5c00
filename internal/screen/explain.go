package screen

import (
	"fmt"
	"strings"

	"tipline/internal/screen/ident"
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
	return h
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
