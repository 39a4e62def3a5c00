package screen_test

import (
	"slices"
	"strings"
	"testing"

	"tipline/internal/screen"
)

func person(src screen.Source, id string, names []string, dob []string, ids ...screen.Identifier) screen.Entry {
	e := screen.Entry{Source: src, ID: id, Kind: screen.KindPerson, BirthDates: dob, Identifiers: ids}
	for i, n := range names {
		q := screen.NameAlias
		if i == 0 {
			q = screen.NamePrimary
		}
		e.Names = append(e.Names, screen.Name{Text: n, Quality: q, Script: "Latin"})
	}
	return e
}

// TestSameAsLinks checks which listings are linked as one person and that
// a hit brings its linked listings along.
func TestSameAsLinks(t *testing.T) {
	passport := screen.Identifier{Type: screen.IDPassport, Value: "203037", Raw: "203037"}
	un := &screen.List{Source: screen.SourceUN, Entries: []screen.Entry{
		person(screen.SourceUN, "CDi.026", []string{"STANISLAS NZEYIMANA", "Bigaruka Izuba"}, []string{"1966-08-28"}),
		person(screen.SourceUN, "QDi.057", []string{"IBRAHIM ALI ABU BAKR TANTOUSH"}, []string{"1966-02-02"}, passport),
		person(screen.SourceUN, "QDi.900", []string{"AHMED HASSAN OMAR"}, nil),
		person(screen.SourceUN, "TAi.149", []string{"SALEH MOHAMMAD KAKAR AKHTAR MUHAMMAD"}, []string{"1962~", "1961"}),
	}}
	ofac := &screen.List{Source: screen.SourceOFAC, Entries: []screen.Entry{
		person(screen.SourceOFAC, "11391", []string{"NZEYIMANA, Stanislas"}, []string{"1966"}),
		person(screen.SourceOFAC, "7150", []string{"AL-LIBI, Abd al-Muhsin"}, []string{"1966"}, passport),
		person(screen.SourceOFAC, "9900", []string{"OMAR, Ahmed Hassan"}, nil),
		person(screen.SourceOFAC, "12293", []string{"KAKAR, Saleh Mohammad"}, []string{"1962"}),
	}}
	ix := screen.NewIndex(un, ofac)
	r := ix.Screen("Bigaruka Izuba", screen.Options{})
	var keys []string
	for _, h := range r.Hits {
		keys = append(keys, string(h.Source)+":"+h.ID)
	}
	if !slices.Equal(keys, []string{"ofac:11391", "un:CDi.026"}) && !slices.Equal(keys, []string{"un:CDi.026", "ofac:11391"}) {
		t.Fatalf("hits %v, want the UN entry and its OFAC listing", keys)
	}
	for _, h := range r.Hits {
		if h.ID == "11391" && !strings.Contains(h.Why, "same person as un:CDi.026") {
			t.Errorf("linked hit's why: %q", h.Why)
		}
	}
	if h := ix.Screen("Abd al-Muhsin al-Libi", screen.Options{}).Hits; len(h) != 2 {
		t.Errorf("a shared passport number links the listings: hits %+v", h)
	}
	// A three-word name within a longer one, born the same year.
	if h := ix.Screen("Kakar Saleh Mohammad", screen.Options{}).Hits; len(h) != 2 || !slices.Contains(h[0].SameAs, "ofac:12293") && !slices.Contains(h[0].SameAs, "un:TAi.149") {
		t.Errorf("a name within the other's, same birth year: hits %+v", h)
	}
	// The same name with no date of birth or document is not a link.
	for _, h := range ix.Screen("Ahmed Hassan Omar", screen.Options{}).Hits {
		if len(h.SameAs) > 0 {
			t.Errorf("%s:%s linked on a shared name alone: %v", h.Source, h.ID, h.SameAs)
		}
	}
}

// TestSameAsSharedNames links organisations in two sources that share two
// names, weak aliases included, and not on one shared name.
func TestSameAsSharedNames(t *testing.T) {
	org := func(src screen.Source, id string, names ...string) screen.Entry {
		e := screen.Entry{Source: src, ID: id, Kind: screen.KindOrganization}
		for i, n := range names {
			q := screen.NameWeakAlias
			if i == 0 {
				q = screen.NamePrimary
			}
			e.Names = append(e.Names, screen.Name{Text: n, Quality: q, Script: "Latin"})
		}
		return e
	}
	un := &screen.List{Source: screen.SourceUN, Entries: []screen.Entry{
		org(screen.SourceUN, "QDe.165", "ISLAMIC STATE IN IRAQ AND THE LEVANT - LIBYA", "Wilayat Tarablus", "Wilayat Al-Tarablus"),
		org(screen.SourceUN, "QDe.900", "NORTHERN STAR GROUP", "Blue Horizon Trading"),
	}}
	ofac := &screen.List{Source: screen.SourceOFAC, Entries: []screen.Entry{
		org(screen.SourceOFAC, "19890", "ISLAMIC STATE OF IRAQ AND ASH-SHAM IN LIBYA", "WILAYAT TARABLUS", "WILAYAT AL-TARABLUS"),
		org(screen.SourceOFAC, "9901", "SOUTHERN CROSS GROUP", "BLUE HORIZON TRADING"),
	}}
	ix := screen.NewIndex(un, ofac)
	if h := ix.Screen("ISLAMIC STATE OF IRAQ AND ASH-SHAM IN LIBYA", screen.Options{}).Hits; len(h) != 2 || !slices.Contains(h[0].SameAs, "un:QDe.165") {
		t.Errorf("two shared names: hits %+v", h)
	}
	for _, h := range ix.Screen("Southern Cross Group", screen.Options{}).Hits {
		if len(h.SameAs) > 0 {
			t.Errorf("%s:%s linked on one shared weak name: %v", h.Source, h.ID, h.SameAs)
		}
	}
}
