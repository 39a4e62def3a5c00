package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// An older list never replaces the one in force unless forced — by its
// date, or for OFAC's undated CSV by its entry numbers — and a file
// identical to the one in force makes no new version.
func TestListsImportRefusesOlderAndSkipsIdentical(t *testing.T) {
	data := installation(t)
	un2026, un2018 := filepath.Join(lists, "un/consolidated-2026-02-27.xml"), filepath.Join(lists, "un/consolidated-2018-10-29.xml")
	ofac2024, ofac2023 := filepath.Join(lists, "ofac/2024-05-03/sdn.csv"), filepath.Join(lists, "ofac/2023-01-05/sdn.csv")
	for _, p := range []string{un2026, ofac2024} {
		if code, _, errOut := run(t, "", "lists", "import", "--data", data, p); code != 0 {
			t.Fatalf("import %s: %s", p, errOut)
		}
	}
	for _, c := range []struct{ path, want string }{
		{un2018, "the un list of 2018-10-29 is older than the one in force (2026-02-27)"},
		{ofac2023, "the ofac list given is older than the one in force"},
	} {
		code, _, errOut := run(t, "", "lists", "import", "--data", data, c.path)
		if code == 0 || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "--force") {
			t.Fatalf("import of an older %s: exit %d\n%s", c.path, code, errOut)
		}
	}
	_, table, _ := run(t, "", "lists", "--data", data)
	if strings.Count(table, "current") != 2 || strings.Count(table, "\nun ") != 1 || strings.Contains(table, "2018-10-29") {
		t.Fatalf("an older list was stored or put in force:\n%s", table)
	}

	code, out, errOut := run(t, "", "lists", "import", "--data", data, un2026)
	if code != 0 || !strings.Contains(out, "Unchanged") {
		t.Fatalf("an identical file: exit %d\n%s%s", code, out, errOut)
	}
	if _, table, _ = run(t, "", "lists", "--data", data); strings.Count(table, "\nun ") != 1 {
		t.Fatalf("an identical file made a new version:\n%s", table)
	}

	if code, _, errOut := run(t, "", "lists", "import", "--data", data, "--force", un2018); code != 0 {
		t.Fatalf("a forced older import: %s", errOut)
	}
	if _, table, _ = run(t, "", "lists", "--data", data); !strings.Contains(table, "current  2018-10-29") {
		t.Fatalf("the forced list is not in force:\n%s", table)
	}
}
