package ident

import (
	"encoding/csv"
	"os"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

const listsDir = "../../../../shared/data/lists/"

// knownBadListAddresses are values in OFAC's files that are not valid
// addresses of the currency they are written against; each is checked to be
// refused, and they were reported rather than worked around.
var knownBadListAddresses = map[string]string{
	// 39 hex digits: one digit short of an Ethereum address.
	"0xa7e5d5a720f06526557c513402f2e6b5fa20b00": "ETH",
	// 64 hex digits: the shape of a Monero transaction or key, not of an
	// address (95 base58 characters starting with 4 or 8).
	"5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320": "XMR",
	// A valid Tron address listed under XBT (OFAC 2024-05-03).
	"TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq": "XBT",
}

var listAddressRE = regexp.MustCompile(`Digital Currency Address - ([A-Z0-9]+) ([^;\s]+)(;?)`)

// readSDN reads an OFAC legacy CSV file (no header, "-0- " for null) as
// records, or skips the test when the snapshot is absent.
func readSDN(t *testing.T, name string) [][]string {
	t.Helper()
	testenv.NeedFile(t, listsDir+name)
	f, err := os.Open(listsDir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestListAddresses validates every digital currency address in OFAC's SDN
// files against the currency it is listed under. OFAC cuts long remarks
// and continues them in sdn_comments.csv, so an address that ends its
// field without the closing "." or ";" is a fragment and is skipped.
func TestListAddresses(t *testing.T) {
	for _, name := range []string{"ofac/2021-07-full/sdn.csv", "ofac/2024-05-03/sdn.csv", "ofac/2021-07-full/sdn_comments.csv"} {
		t.Run(name, func(t *testing.T) {
			n, cut := 0, 0
			for _, rec := range readSDN(t, name) {
				remarks := rec[len(rec)-1]
				for _, m := range listAddressRE.FindAllStringSubmatch(remarks, -1) {
					cur, addr := m[1], m[2]
					if m[3] == "" && !strings.HasSuffix(addr, ".") && strings.HasSuffix(remarks, addr) {
						cut++
						continue
					}
					addr = strings.TrimRight(addr, ".")
					n++
					_, err := ParseWalletAs(cur, addr)
					if _, bad := knownBadListAddresses[addr]; bad {
						if err == nil {
							t.Errorf("%s %s: known-bad address accepted", cur, addr)
						}
						continue
					}
					if err != nil {
						t.Errorf("%s %s: %v", cur, addr, err)
					}
				}
			}
			t.Logf("%d addresses validated, %d fragments cut by the file format skipped", n, cut)
		})
	}
}

var listIMORE = regexp.MustCompile(`(Vessel Registration Identification|Company Number) IMO +(\d{7})`)

// TestListIMONumbers checks the ship IMO numbers of OFAC's vessel entries
// against the check digit. OFAC also writes "Vessel Registration
// Identification IMO" on shipping companies; those are company numbers and
// need not pass, which is why the list parser must go by the entry's type.
func TestListIMONumbers(t *testing.T) {
	ships, companies := 0, 0
	for _, rec := range readSDN(t, "ofac/2024-05-03/sdn.csv") {
		if len(rec) < 4 {
			continue
		}
		vessel := strings.TrimSpace(rec[2]) == "vessel"
		for _, m := range listIMORE.FindAllStringSubmatch(rec[len(rec)-1], -1) {
			if !vessel || m[1] == "Company Number" {
				companies++
				if _, err := ParseCompanyIMO(m[2]); err != nil {
					t.Errorf("company %s: %v", m[2], err)
				}
				continue
			}
			ships++
			if _, err := ParseIMO(m[2]); err != nil {
				t.Errorf("vessel %s IMO %s: %v", rec[1], m[2], err)
			}
		}
	}
	t.Logf("%d vessel IMO numbers, %d company numbers", ships, companies)
}

var listMMSIRE = regexp.MustCompile(`MMSI (\d{9})`)

func TestListMMSIs(t *testing.T) {
	n := 0
	for _, rec := range readSDN(t, "ofac/2024-05-03/sdn.csv") {
		for _, m := range listMMSIRE.FindAllStringSubmatch(rec[len(rec)-1], -1) {
			n++
			if _, err := ParseShipMMSI(m[1]); err != nil {
				t.Errorf("%s: %v", m[1], err)
			}
		}
	}
	t.Logf("%d MMSIs", n)
}
