package screen_test

import (
	"testing"

	"golang.org/x/text/language"
)

// TestTiplineCountriesCoverTheOrganisations checks countries.csv, the country
// a report would give for each company, bank and shipping line of the
// tip-line negatives: every name must be one of organisations.txt as written
// there (a misspelt name would silently go unscreened with its country), once,
// with an ISO 3166-1 alpha-2 country code.
func TestTiplineCountriesCoverTheOrganisations(t *testing.T) {
	orgs := tiplineOrganisations(t)
	seen := map[string]bool{}
	for _, r := range readCSV(t, tiplineDir+"countries.csv") {
		name, code := r[0], r[1]
		if seen[name] {
			t.Errorf("countries.csv: %q appears twice", name)
		}
		seen[name] = true
		if class, ok := orgs[name]; !ok {
			t.Errorf("countries.csv: %q is no name of organisations.txt", name)
		} else if class == "ship" {
			t.Errorf("countries.csv: %q is a ship; a ship has a flag, not a country", name)
		}
		if reg, err := language.ParseRegion(code); err != nil || !reg.IsCountry() || reg.String() != code {
			t.Errorf("countries.csv: %q: %q is no ISO 3166-1 alpha-2 country code", name, code)
		}
	}
	if len(seen) == 0 {
		t.Error("countries.csv holds no rows")
	}
}

// tiplineOrganisations is each name of organisations.txt with its class
// ("company", "bank", "shipping line" or "ship").
func tiplineOrganisations(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, o := range readTiplineOrganisations(t) {
		out[o.name] = o.class
	}
	return out
}
