package screen_test

import (
	"strconv"
	"strings"
	"testing"

	"tipline/internal/screen"
)

// listedBy finds the first entry of the snapshots for which ok holds and
// whose primary name alone is a hit, and a function that finds its hit.
func listedBy(t *testing.T, ix *screen.Index, lists []*screen.List, ok func(e *screen.Entry) bool) (*screen.Entry, func([]screen.Hit) *screen.Hit) {
	t.Helper()
	for _, l := range lists {
		for i := range l.Entries {
			e := &l.Entries[i]
			if !ok(e) {
				continue
			}
			find := func(hits []screen.Hit) *screen.Hit {
				for i := range hits {
					if string(hits[i].Source)+":"+hits[i].ID == e.Key() {
						return &hits[i]
					}
				}
				return nil
			}
			if find(ix.Screen(e.PrimaryName(), screen.Options{}).Hits) != nil {
				return e, find
			}
		}
	}
	t.Fatal("no such entry in these snapshots")
	return nil, nil
}

// TestScreenPerson checks that a birth year or nationality the list
// contradicts makes a name's hit a possible match, and that what agrees is
// said.
func TestScreenPerson(t *testing.T) {
	lists, ix := snapshots(t)
	e, find := listedBy(t, ix, lists, func(e *screen.Entry) bool {
		return e.Kind == screen.KindPerson && len(e.BirthDates) == 1 && len(e.BirthDates[0]) == 10 &&
			len(e.Nationalities) == 1 && screen.CountryCode(e.Nationalities[0]) != "" && screen.CountryCode(e.Nationalities[0]) != "CN"
	})
	name, year := e.PrimaryName(), screen.BirthYear(e.BirthDates[0])
	t.Logf("%s %q, born %s, nationality %s", e.Key(), name, e.BirthDates[0], e.Nationalities[0])
	opt := screen.Options{Possible: screen.DefaultPossible}
	itoa := strconv.Itoa

	for _, c := range []struct {
		what string
		p    screen.ReportedPerson
		hit  bool
		why  string
	}{
		{"the name alone", screen.ReportedPerson{Name: name}, true, ""},
		{"the listed year", screen.ReportedPerson{Name: name, Born: itoa(year)}, true, "born " + itoa(year) + " as the report says"},
		{"a year off by one", screen.ReportedPerson{Name: name, Born: "born " + itoa(year+1)}, true, "as the report says"},
		{"another year", screen.ReportedPerson{Name: name, Born: itoa(year - 12)}, false, "the report gives born " + itoa(year-12) + ", and the list gives " + e.BirthDates[0] + ": another person"},
		{"the listed nationality", screen.ReportedPerson{Name: name, Nationality: e.Nationalities[0]}, true, "nationality " + e.Nationalities[0] + " as the report says"},
		{"another nationality", screen.ReportedPerson{Name: name, Nationality: "China"}, false, "the report gives nationality China, and the list gives " + e.Nationalities[0]},
		{"another nationality, the listed year", screen.ReportedPerson{Name: name, Nationality: "China", Born: itoa(year)}, true, "the report gives nationality China"},
		{"the listed nationality, another year", screen.ReportedPerson{Name: name, Nationality: e.Nationalities[0], Born: itoa(year + 20)}, false, "another person"},
		{"a nationality that is no country", screen.ReportedPerson{Name: name, Nationality: "Narnia"}, true, ""},
	} {
		r := ix.ScreenPerson(c.p, opt)
		h, p := find(r.Hits), find(r.Possible)
		switch {
		case c.hit && (h == nil || p != nil):
			t.Errorf("%s: want a hit, got hits %+v possible %+v", c.what, r.Hits, r.Possible)
		case !c.hit && (h != nil || p == nil):
			t.Errorf("%s: want a possible match, got hits %+v possible %+v", c.what, r.Hits, r.Possible)
		case h != nil && !strings.Contains(h.Why, c.why), p != nil && !strings.Contains(p.Why, c.why):
			t.Errorf("%s: explanation lacks %q: %+v %+v", c.what, c.why, h, p)
		}
	}
	if r := ix.ScreenPerson(screen.ReportedPerson{Name: name, Born: itoa(year - 12)}, screen.Options{}); find(r.Hits) != nil || len(r.Possible) != 0 {
		t.Errorf("another year, no possible tier asked for: %+v", r)
	}
}

// TestScreenCompany checks that a country of registration the list
// contradicts makes a company name's hit a possible match.
func TestScreenCompany(t *testing.T) {
	lists, ix := snapshots(t)
	e, find := listedBy(t, ix, lists, func(e *screen.Entry) bool {
		return e.Kind == screen.KindOrganization && len(e.Nationalities) == 1 && screen.CountryCode(e.Nationalities[0]) != "" &&
			screen.CountryCode(e.Nationalities[0]) != "JP"
	})
	t.Logf("%s %q, registered in %s", e.Key(), e.PrimaryName(), e.Nationalities[0])
	opt := screen.Options{Possible: screen.DefaultPossible}
	same := ix.ScreenCompany(screen.ReportedCompany{Name: e.PrimaryName(), Country: e.Nationalities[0]}, opt)
	if h := find(same.Hits); h == nil || !strings.Contains(h.Why, "country "+e.Nationalities[0]+" as the report says") {
		t.Errorf("the listed country: %+v", same)
	}
	other := ix.ScreenCompany(screen.ReportedCompany{Name: e.PrimaryName(), Country: "日本"}, opt)
	if p := find(other.Possible); find(other.Hits) != nil || p == nil || !strings.Contains(p.Why, "another company by this name") {
		t.Errorf("another country: %+v", other)
	}
	if r := ix.ScreenCompany(screen.ReportedCompany{Name: e.PrimaryName(), Country: "Korea"}, opt); find(r.Hits) == nil {
		t.Errorf("a country that could be two: no hit: %+v", r)
	}
}

// TestAnotherKindOfParty checks that a person's line matching a listed
// organisation, or a company's line matching a listed person, short of
// exactly, is a possible match: the report says what kind of party it names.
func TestAnotherKindOfParty(t *testing.T) {
	lists, ix := snapshots(t)
	opt := screen.Options{Possible: screen.DefaultPossible}
	// A name misspelt by a doubled letter scores under 1 and still hits.
	misspelt := func(e *screen.Entry) (string, bool) {
		name := e.PrimaryName()
		i := strings.IndexAny(name, "aeiouAEIOU")
		if i < 0 {
			return "", false
		}
		q := name[:i+1] + name[i:]
		for _, h := range ix.Screen(q, screen.Options{}).Hits {
			if string(h.Source)+":"+h.ID == e.Key() && h.Score < 1 {
				return q, true
			}
		}
		return "", false
	}
	for _, c := range []struct {
		kind   screen.Kind
		weigh  func(q string) screen.Result
		reason string
	}{
		{screen.KindOrganization, func(q string) screen.Result { return ix.ScreenPerson(screen.ReportedPerson{Name: q}, opt) }, "the report names a person, and the list entry is an organisation"},
		{screen.KindVessel, func(q string) screen.Result { return ix.ScreenPerson(screen.ReportedPerson{Name: q}, opt) }, "the report names a person, and the list entry is a ship"},
		{screen.KindPerson, func(q string) screen.Result { return ix.ScreenCompany(screen.ReportedCompany{Name: q}, opt) }, "the report names a company, and the list entry is a person"},
		{screen.KindPerson, func(q string) screen.Result { return ix.ScreenVessel(screen.ReportedVessel{Name: q}, opt) }, "the report names a ship, and the list entry is a person"},
	} {
		var query string
		e, find := listedBy(t, ix, lists, func(e *screen.Entry) bool {
			if e.Kind != c.kind {
				return false
			}
			q, ok := misspelt(e)
			query = q
			return ok
		})
		r := c.weigh(query)
		if p := find(r.Possible); find(r.Hits) != nil || p == nil || !strings.Contains(p.Why, c.reason) {
			t.Errorf("%s %q as %q: hits %+v, possible %+v", e.Key(), e.PrimaryName(), query, r.Hits, r.Possible)
		}
		// Its exact name stays a hit: the source may have put it in the
		// wrong field.
		if r := c.weigh(e.PrimaryName()); find(r.Hits) == nil {
			t.Errorf("%s %q, exactly: no hit: %+v", e.Key(), e.PrimaryName(), r)
		}
	}
	// A ship is not another party for a company's line.
	e, find := listedBy(t, ix, lists, func(e *screen.Entry) bool { _, ok := misspelt(e); return e.Kind == screen.KindVessel && ok })
	q, _ := misspelt(e)
	if r := ix.ScreenCompany(screen.ReportedCompany{Name: q}, opt); find(r.Hits) == nil {
		t.Errorf("a ship named in a company's line: %+v", r)
	}
}
