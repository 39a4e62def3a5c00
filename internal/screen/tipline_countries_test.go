package screen_test

import (
	"bufio"
	"os"
	"strings"
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
// ("company", "bank", "shipping line" or "ship"), read by the same rules as
// the rebuild in negatives_test.go: a "## class | script" heading starts a
// section, other "#" lines and blank lines are skipped.
func tiplineOrganisations(t *testing.T) map[string]string {
	f, err := os.Open(tiplineDir + "organisations.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, class := map[string]string{}, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "## "):
			c, _, _ := strings.Cut(strings.TrimPrefix(line, "## "), " | ")
			class = strings.TrimSpace(c)
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			out[line] = class
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
