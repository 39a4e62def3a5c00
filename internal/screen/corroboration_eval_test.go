package screen_test

import (
	"hash/fnv"
	"slices"
	"strconv"
	"testing"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
)

// nationalityOfClass is the nationality the corroboration figures give each
// class of the tip-line negatives' persons. Korean names get North Korea, not
// South: it is the nationality of nearly every listed Korean, so it
// contradicts them least and the figure errs on the side of more false
// positives.
var nationalityOfClass = map[string]string{
	"person ko": "North Korea", "person zh": "China", "person ru": "Russia", "person ja": "Japan",
}

// birthYearOf is the birth year the corroboration figures give a tip-line
// negative person: spread evenly over 1950–1999 by the person's group, the
// same for every written form of one person, so that a run is repeatable.
func birthYearOf(group int) string {
	h := fnv.New32a()
	h.Write([]byte(strconv.Itoa(group)))
	return strconv.Itoa(1950 + int(h.Sum32()%50))
}

// corroborationFigures reports what the details a report may give besides
// a name — a person's nationality and birth year, a company's country —
// do to the figures: the tip-line negatives' false positives with them, and
// the headline positives' recall@10 when each query comes with its own
// entry's details, as a source who knows the person would give them. They
// are reported, not held to a goal: the negatives' details are assigned
// (nationalityOfClass, birthYearOf, countries.csv), not observed.
func corroborationFigures(t *testing.T, ix *screen.Index, pos []evalQuery, alone tiplineResult, th float64) {
	countries := map[string]string{}
	for _, r := range readCSV(t, tiplineDir+"countries.csv") {
		countries[r[0]] = r[1]
	}
	opt := screen.Options{Threshold: 1e-9, Limit: 100}
	detailed := func(withBirthYear bool) tiplineResult {
		return screenTiplineNegativesBy(alone.rows, func(n negativeName) screen.Result {
			if nat, ok := nationalityOfClass[n.class]; ok {
				p := screen.ReportedPerson{Name: n.name, Nationality: nat}
				if withBirthYear {
					p.Born = birthYearOf(n.group)
				}
				return ix.ScreenPerson(p, opt)
			}
			if c, ok := countries[n.name]; ok {
				return ix.ScreenCompany(screen.ReportedCompany{Name: n.name, Country: c}, opt)
			}
			return ix.Screen(n.name, opt)
		})
	}
	nat, both := detailed(false), detailed(true)
	var classes []string
	for _, row := range alone.rows {
		if len(classes) == 0 || classes[len(classes)-1] != row.class {
			classes = append(classes, row.class)
		}
	}
	for half := range 2 {
		for _, c := range append(classes, "") {
			keep := func(x negativeName) bool { return c == "" || x.class == c }
			a, n := alone.fp(th, half, keep)
			b, _ := nat.fp(th, half, keep)
			d, _ := both.fp(th, half, keep)
			if c == "" {
				c = "ALL"
			}
			t.Logf("  tip-line negatives with details, half %d, %-14s false positives: name alone %.4f, with nationality or country %.4f, and birth year %.4f (of %d)",
				half, c, a, b, d, n)
		}
	}

	// The snapshot of OFAC above is sdn.csv alone, which gives no address;
	// OFAC's full CSV set does (add.csv). What a company's country does where
	// the lists know where companies sit, on an index with that set instead:
	full := []string{snapshotPaths[0], "../../../shared/data/lists/ofac/2021-07-full", snapshotPaths[2]}
	var fullLists []*screen.List
	for _, p := range full {
		l, err := listfmt.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fullLists = append(fullLists, l)
	}
	fx := screen.NewIndex(fullLists...)
	var orgs []negativeName
	for _, row := range alone.rows {
		if _, ok := countries[row.name]; ok {
			orgs = append(orgs, row)
		}
	}
	orgAlone := screenTiplineNegativesBy(orgs, func(n negativeName) screen.Result { return fx.Screen(n.name, opt) })
	orgCountry := screenTiplineNegativesBy(orgs, func(n negativeName) screen.Result {
		return fx.ScreenCompany(screen.ReportedCompany{Name: n.name, Country: countries[n.name]}, opt)
	})
	for half := range 2 {
		a, n := orgAlone.fp(th, half, nil)
		b, _ := orgCountry.fp(th, half, nil)
		t.Logf("  tip-line companies, banks and shipping lines against OFAC's 2021-07 set with addresses, half %d: false positives name alone %.4f, with country %.4f (of %d)", half, a, b, n)
	}

	// The positives, each with its own entry's details.
	for half := range 2 {
		persons, orgs := [2]int{}, [2]int{} // queries; found [name alone, with details]
		var foundP, foundO [2]int
		for i, q := range pos {
			if i%2 != half {
				continue
			}
			res := screen.Result{Hits: q.hits}
			var weighed screen.Result
			switch e := q.entry; {
			case e == nil && q.born != "":
				weighed = ix.WeighPerson(res, screen.ReportedPerson{Born: q.born}, screen.Options{})
			case e != nil && e.Kind == screen.KindPerson && (len(e.Nationalities) > 0 || len(e.BirthDates) > 0):
				p := screen.ReportedPerson{}
				if len(e.Nationalities) > 0 {
					p.Nationality = e.Nationalities[0]
				}
				if len(e.BirthDates) > 0 {
					p.Born = e.BirthDates[0]
				}
				weighed = ix.WeighPerson(res, p, screen.Options{})
			case e != nil && e.Kind == screen.KindOrganization && len(e.Nationalities)+len(e.Countries) > 0:
				weighed = ix.WeighCompany(res, screen.ReportedCompany{Country: append(slices.Clip(e.Nationalities), e.Countries...)[0]}, screen.Options{})
			default:
				continue
			}
			queries, found := &persons, &foundP
			if q.entry != nil && q.entry.Kind == screen.KindOrganization {
				queries, found = &orgs, &foundO
			}
			queries[0]++
			if rightAt(q, q.hits, th) {
				found[0]++
			}
			if rightAt(q, weighed.Hits, th) {
				found[1]++
			} else if rightAt(q, q.hits, th) && *verboseMisses && half == 0 {
				t.Logf("lost with its own details (half 0): %s %q %s", q.set, q.query, describeHits(q))
			}
		}
		t.Logf("  headline positives with their own details, half %d: persons %d, recall@10 name alone %.4f, with nationality and birth year %.4f; organisations %d, name alone %.4f, with country %.4f",
			half, persons[0], ratio(foundP[0], persons[0]), ratio(foundP[1], persons[0]), orgs[0], ratio(foundO[0], orgs[0]), ratio(foundO[1], orgs[0]))
	}
}

// rightAt reports whether the right entry of q is among hits at th.
func rightAt(q evalQuery, hits []screen.Hit, th float64) bool {
	for _, h := range hits {
		if h.Score >= th && q.right(h) {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
