package listfmt

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/screen"
	"tipline/internal/testenv"
)

// The real snapshots live outside the module, beside it in ../shared (see
// ../shared/data/lists/README.md), and are never copied into the project.
func snapshotDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
	lists := filepath.Join(dir, "..", "shared", "data", "lists")
	testenv.NeedFile(t, lists)
	return lists
}

func snapshot(t testing.TB, rel string) string {
	t.Helper()
	path := filepath.Join(snapshotDir(t), filepath.FromSlash(rel))
	testenv.NeedFile(t, path)
	return path
}

// Parsed snapshots are shared between tests: parsing is what the first test
// measures, and the field-by-field tests only read the result.
var (
	parsedMu sync.Mutex
	parsed   = map[string]*screen.List{}
)

func parseSnapshot(t *testing.T, rel string) *screen.List {
	t.Helper()
	path := snapshot(t, rel)
	parsedMu.Lock()
	defer parsedMu.Unlock()
	if l, ok := parsed[rel]; ok {
		return l
	}
	l, err := ParseFile(path)
	if err != nil {
		t.Fatalf("ParseFile(%s): %v", rel, err)
	}
	parsed[rel] = l
	return l
}

const (
	un2026     = "un/consolidated-2026-02-27.xml"
	un2018     = "un/consolidated-2018-10-29.xml"
	ofac2024   = "ofac/2024-05-03/sdn.csv"
	ofac2023   = "ofac/2023-01-05/sdn.csv"
	ofac2021   = "ofac/2021-07-full"
	ofacXML    = "ofac/xml-2018/consolidated-nonsdn-2018-04-06.xml"
	unVessels  = "un-1718-vessels/designated-vessels-2020-06-04.html"
	dprkPrefix = "DPRK"
)

// TestGoldenCounts pins what each real snapshot yields. The totals agree
// with the README: UN 2026 has 1,003 records of which 155 DPRK, OFAC
// 2024-05-03 has 14,965 rows of which 484 DPRK-tagged, the vessels list 59
// ships. Wallets are addresses, not entries (see screen.List.Counts); the
// 2024 figure is 287 because sdn.csv alone cuts 18 long Remarks at 1,000
// characters and the cut clauses, 7 of them wallet addresses, are dropped.
// Ship IMO numbers outnumber OFAC vessels because a few companies carry a
// ship's number too; one UN vessel has none ("Does not exist"). OFAC's
// "Company Number IMO 543400" has six digits: it is kept as written, as
// another identifier, not counted as a company IMO number.
func TestGoldenCounts(t *testing.T) {
	tests := []struct {
		file                               string
		source                             screen.Source
		published                          string
		persons, orgs, vessels, wallets    int
		dprk, shipIMOs, companyIMOs, mmsis int
	}{
		{un2026, screen.SourceUN, "2026-02-27", 730, 273, 0, 0, 155, 0, 16, 0},
		{un2018, screen.SourceUN, "2018-10-29", 703, 390, 0, 0, 155, 0, 3, 0},
		{ofac2024, screen.SourceOFAC, "", 6854, 7260, 851, 287, 484, 854, 130, 154},
		{ofac2023, screen.SourceOFAC, "", 5883, 4868, 685, 202, 450, 689, 96, 80},
		{ofac2021, screen.SourceOFAC, "", 4620, 3950, 406, 97, 414, 410, 72, 51},
		{ofacXML, screen.SourceOFAC, "2018-04-06", 94, 471, 74, 0, 0, 74, 0, 45},
		{unVessels, screen.SourceUNVessels, "2020-06-04", 0, 0, 59, 0, 59, 58, 0, 49},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			start := time.Now()
			l := parseSnapshot(t, tt.file)
			t.Logf("%d entries in %v", len(l.Entries), time.Since(start))
			if l.Source != tt.source {
				t.Errorf("source = %q, want %q", l.Source, tt.source)
			}
			if got := dateOf(l.Published); got != tt.published {
				t.Errorf("published = %q, want %q", got, tt.published)
			}
			if data, err := os.ReadFile(snapshot(t, tt.file)); err == nil {
				// A single file's hash is sha256sum's; a set's is checked in
				// TestParseFileHash.
				if sum := sha256.Sum256(data); l.SHA256 != hex.EncodeToString(sum[:]) {
					t.Errorf("SHA256 = %s, not that of the file", l.SHA256)
				}
			} else if len(l.SHA256) != 64 {
				t.Errorf("SHA256 = %q, want 64 hex digits", l.SHA256)
			}
			c := l.Counts()
			got := []int{c[screen.KindPerson], c[screen.KindOrganization], c[screen.KindVessel], c[screen.KindWallet]}
			want := []int{tt.persons, tt.orgs, tt.vessels, tt.wallets}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("persons, organisations, vessels, wallets = %v, want %v", got, want)
			}
			var dprk, ids = 0, map[screen.IDType]int{}
			for _, e := range l.Entries {
				for _, p := range e.Programs {
					if strings.HasPrefix(p, dprkPrefix) {
						dprk++
						break
					}
				}
				for _, id := range e.Identifiers {
					ids[id.Type]++
				}
			}
			got = []int{dprk, ids[screen.IDIMO], ids[screen.IDCompanyIMO], ids[screen.IDMMSI]}
			want = []int{tt.dprk, tt.shipIMOs, tt.companyIMOs, tt.mmsis}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("DPRK entries, ship IMOs, company IMOs, MMSIs = %v, want %v", got, want)
			}
		})
	}
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func findEntry(t *testing.T, l *screen.List, id string) *screen.Entry {
	t.Helper()
	for i := range l.Entries {
		if l.Entries[i].ID == id {
			return &l.Entries[i]
		}
	}
	t.Fatalf("no entry %q", id)
	return nil
}

func hasID(e *screen.Entry, typ screen.IDType, value, currency string) bool {
	for _, id := range e.Identifiers {
		if id.Type == typ && id.Value == value && id.Currency == currency {
			return true
		}
	}
	return false
}

func names(e *screen.Entry, q screen.NameQuality) []string {
	var out []string
	for _, n := range e.Names {
		if n.Quality == q {
			out = append(out, n.Text)
		}
	}
	return out
}
