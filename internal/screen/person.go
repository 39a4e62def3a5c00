package screen

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ReportedPerson is what a report says about one person: the name, and the
// nationality and birth year when the source knows them; any may be empty.
type ReportedPerson struct {
	Name, Nationality, Born string
}

// ReportedCompany is what a report says about one company: its name, and the
// country it is registered or sits in when the source knows it.
type ReportedCompany struct {
	Name, Country string
}

// ScreenPerson screens one person a report names, then weighs each listed
// person the name matches against what else the report says. A birth year
// the list contradicts (no listed date within a year of it) makes the hit
// another person by that name: it moves to the possible tier, saying why. A
// nationality the list contradicts does the same unless the birth year
// agrees (people hold several nationalities, and a source may know only
// one). What agrees is said in the hit's explanation; the score is the
// name's.
func (ix *Index) ScreenPerson(p ReportedPerson, opt Options) Result {
	return ix.WeighPerson(ix.Screen(p.Name, opt), p, opt)
}

// WeighPerson weighs the hits of a person's name, however they were found,
// as ScreenPerson does. A listed organisation or ship the name matches short
// of exactly is another party by that name: the report says it names a
// person.
func (ix *Index) WeighPerson(res Result, p ReportedPerson, opt Options) Result {
	born := BirthYear(p.Born)
	country := CountryCode(p.Nationality)
	return ix.weigh(res, opt, func(h Hit, e *Entry) (bool, string) {
		if e.Kind != KindPerson {
			return otherKind(h, e, "a person")
		}
		year, yearNote := birthEvidence(e, born)
		nat, natNote := countryEvidence(e.Nationalities, country, p.Nationality, "nationality")
		another := year == contradicts || (nat == contradicts && year != agrees)
		note := yearNote + natNote
		if another {
			note += ": another person by this name"
		}
		return another, note
	})
}

// ScreenCompany screens one company a report names, then weighs each listed
// organisation the name matches against the country the report gives: one
// the list registers elsewhere is another company by that name, and moves
// to the possible tier, saying why. The lists' countries of an organisation
// are those of its registration and of its addresses.
func (ix *Index) ScreenCompany(c ReportedCompany, opt Options) Result {
	return ix.WeighCompany(ix.Screen(c.Name, opt), c, opt)
}

// WeighCompany weighs the hits of a company's name, however they were
// found, as ScreenCompany does. A listed person the name matches short of
// exactly is another party by that name: the report says it names a
// company. (A ship is not: ships and the companies that own them share
// names.)
func (ix *Index) WeighCompany(res Result, c ReportedCompany, opt Options) Result {
	country := CountryCode(c.Country)
	return ix.weigh(res, opt, func(h Hit, e *Entry) (bool, string) {
		switch e.Kind {
		case KindPerson:
			return otherKind(h, e, "a company")
		case KindOrganization:
		default:
			return false, ""
		}
		// Where it is registered, or where it sits: a company the lists
		// know in the report's country is not contradicted.
		ev, note := countryEvidence(append(slices.Clip(e.Nationalities), e.Countries...), country, c.Country, "country")
		if ev == contradicts {
			note += ": another company by this name"
		}
		return ev == contradicts, note
	})
}

// otherKind judges a hit on an entry of another kind than the report says it
// names (what): another party by that name, unless the match is exact —
// identifiers, and names equal once normalised, score 1.
func otherKind(h Hit, e *Entry, what string) (bool, string) {
	if h.Score >= 1 {
		return false, ""
	}
	return true, fmt.Sprintf("; the report names %s, and the list entry is %s: another party by this name", what, kindArticle[e.Kind])
}

var kindArticle = map[Kind]string{KindPerson: "a person", KindOrganization: "an organisation", KindVessel: "a ship"}

// weigh applies judge to the entry of each hit: a hit it calls another
// party moves to the possible tier (or goes, when opt asks for no possible
// matches); every hit gets judge's note added to its explanation.
func (ix *Index) weigh(res Result, opt Options, judge func(h Hit, e *Entry) (another bool, note string)) Result {
	var hits []Hit
	for _, h := range res.Hits {
		e := ix.entryOf(h)
		if e == nil {
			hits = append(hits, h)
			continue
		}
		another, note := judge(h, e)
		h.Why += note
		if another {
			if opt.Possible > 0 {
				res.Possible = append(res.Possible, h)
			}
			continue
		}
		hits = append(hits, h)
	}
	res.Hits = hits
	if res.Hits == nil {
		res.Hits = []Hit{}
	}
	res.Possible = bestFirst(res.Possible, opt.Limit)
	return res
}

// evidence is what one detail of a report says of a listed entry.
type evidence int

const (
	noEvidence evidence = iota
	agrees
	contradicts
)

var yearPattern = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

// BirthYear reads the year out of a birth date as a source or a list
// writes it ("1971", "1971-05-03", "03.05.1971", "born 1971", "1971년생",
// "1971年"); 0 when it holds none.
func BirthYear(s string) int {
	m := yearPattern.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// birthEvidence compares a reported birth year with the entry's birth
// dates. A year agrees with a date within a year of it (sources misremember
// by one, and lists give approximate years), and with a range that holds it.
func birthEvidence(e *Entry, born int) (evidence, string) {
	if born == 0 || len(e.BirthDates) == 0 {
		return noEvidence, ""
	}
	read := false
	for _, d := range e.BirthDates {
		from, to := birthRange(d)
		if from == 0 {
			continue
		}
		read = true
		if born >= from-1 && born <= to+1 {
			return agrees, fmt.Sprintf("; born %d as the report says (the list gives %s)", born, d)
		}
	}
	if !read {
		return noEvidence, ""
	}
	return contradicts, fmt.Sprintf("; the report gives born %d, and the list gives %s", born, strings.Join(e.BirthDates, ", "))
}

// birthRange is the span of years a listed birth date stands for: "1964-03-12"
// and "1964" are 1964, "1960/1965" 1960 to 1965, an approximate "1964~" 1963
// to 1965; 0 when no year can be read.
func birthRange(d string) (from, to int) {
	approx := strings.HasSuffix(d, "~")
	d = strings.TrimSuffix(d, "~")
	if a, b, ok := strings.Cut(d, "/"); ok {
		from, to = BirthYear(a), BirthYear(b)
		if from == 0 || to < from {
			return 0, 0
		}
		return from, to
	}
	y := BirthYear(d)
	if approx && y != 0 {
		return y - 1, y + 1
	}
	return y, y
}

// countryEvidence compares the country a report gives (as its code, and as
// written) with those the list gives for an entry; what field says what the
// comparison is of ("nationality", "country").
func countryEvidence(listed []string, code, written, field string) (evidence, string) {
	if code == "" {
		return noEvidence, ""
	}
	var known []string
	for _, n := range listed {
		c := CountryCode(n)
		if c == "" {
			continue
		}
		if c == code {
			return agrees, fmt.Sprintf("; %s %s as the report says (the list gives %s)", field, written, n)
		}
		known = append(known, n)
	}
	if len(known) == 0 {
		return noEvidence, ""
	}
	return contradicts, fmt.Sprintf("; the report gives %s %s, and the list gives %s", field, written, strings.Join(known, ", "))
}
