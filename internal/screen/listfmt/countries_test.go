package listfmt

import (
	"slices"
	"testing"
)

// TestOFACAddressCountries checks that add.csv gives an entry the countries
// of its addresses, which a report's country of a company is compared with,
// and that sdn.csv alone gives none.
func TestOFACAddressCountries(t *testing.T) {
	set, err := ParseFile("testdata/ofac-set")
	if err != nil {
		t.Fatal(err)
	}
	single, err := ParseFile("testdata/ofac-set/sdn.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range set.Entries {
		if e.ID != "306" {
			continue
		}
		if !slices.Equal(e.Countries, []string{"Switzerland"}) {
			t.Errorf("BANCO NACIONAL DE CUBA, with add.csv: countries %q, want [Switzerland]", e.Countries)
		}
		if len(single.Entries[i].Countries) != 0 {
			t.Errorf("sdn.csv alone: countries %q, want none", single.Entries[i].Countries)
		}
		return
	}
	t.Fatal("entry 306 is not in testdata/ofac-set")
}
