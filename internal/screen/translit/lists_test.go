package translit

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

// TestUNOriginalScriptNames compares each Cyrillic NAME_ORIGINAL_SCRIPT on
// the UN consolidated list with the entry's Latin name.
func TestUNOriginalScriptNames(t *testing.T) {
	const un = "../../../../shared/data/lists/un/consolidated-2026-02-27.xml"
	testenv.NeedFile(t, un)
	data, err := os.ReadFile(un)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Individuals []struct {
			First, Second, Third, Fourth string
			Original                     string `xml:"NAME_ORIGINAL_SCRIPT"`
		} `xml:"INDIVIDUALS>INDIVIDUAL"`
	}
	// Field names in the file are upper case with underscores.
	r := strings.NewReplacer("<FIRST_NAME>", "<First>", "</FIRST_NAME>", "</First>", "<SECOND_NAME>", "<Second>",
		"</SECOND_NAME>", "</Second>", "<THIRD_NAME>", "<Third>", "</THIRD_NAME>", "</Third>", "<FOURTH_NAME>", "<Fourth>", "</FOURTH_NAME>", "</Fourth>")
	if err := xml.Unmarshal([]byte(r.Replace(string(data))), &list); err != nil {
		t.Fatal(err)
	}
	n, low := 0, 0
	for _, ind := range list.Individuals {
		if !HasCyrillic(ind.Original) {
			continue
		}
		latin := strings.Join([]string{ind.First, ind.Second, ind.Third, ind.Fourth}, " ")
		n++
		if s := Similarity(latin, ind.Original); s < 0.85 {
			low++
			t.Errorf("Similarity(%q, %q) = %.3f", latin, ind.Original, s)
		}
	}
	if n == 0 {
		t.Fatal("no Cyrillic names found; has the file format changed?")
	}
	t.Logf("%d Cyrillic original-script names, %d below 0.85", n, low)
}
