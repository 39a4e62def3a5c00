package listfmt

import (
	"reflect"
	"strings"
	"testing"

	"tipline/internal/screen"
)

// TestGoldenEntries checks a few entries of the real snapshots field by
// field: the ones a DPRK sanctions-evasion report is most likely to name.
func TestGoldenEntries(t *testing.T) {
	latin := func(text string, q screen.NameQuality) screen.Name {
		return screen.Name{Text: text, Quality: q, Script: "Latin"}
	}
	tests := []struct {
		file, id string
		want     screen.Entry // compared whole, except Remarks
		remarks  string       // a part Remarks must contain
	}{
		{
			// A company's IMO number sits in the UN's free-text comments;
			// it is the company scheme, not a ship's.
			file: un2026, id: "KPe.020",
			want: screen.Entry{
				Source: screen.SourceUN, ID: "KPe.020", Kind: screen.KindOrganization,
				Names: []screen.Name{
					latin("OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)", screen.NamePrimary),
					latin("East Sea Shipping Company", screen.NameAlias),
					latin("Korea Mirae Shipping Co. Ltd", screen.NameAlias),
					latin("Haeyang Crew Management Company", screen.NameAlias),
				},
				Identifiers: []screen.Identifier{{Type: screen.IDCompanyIMO, Value: "1790183", Raw: "(IMO) Number: 1790183"}},
				Programs:    []string{"DPRK"},
				Countries:   []string{"Democratic People's Republic of Korea"},
				ListedOn:    "2014-07-28",
			},
			remarks: "operator/manager of the vessel Chong Chon Gang",
		},
		{
			// "KPe.023 " is padded in the file; the id is not.
			file: un2026, id: "KPe.023",
			want: screen.Entry{
				Source: screen.SourceUN, ID: "KPe.023", Kind: screen.KindOrganization,
				Names: []screen.Name{
					latin("DAEDONG CREDIT BANK (DCB)", screen.NamePrimary),
					latin("DCB", screen.NameAlias),
					latin("Taedong Credit Bank", screen.NameAlias),
					latin("Dae-Dong Credit Bank", screen.NameAlias),
				},
				Programs:  []string{"DPRK"},
				Countries: []string{"Democratic People's Republic of Korea"},
				ListedOn:  "2016-03-02",
			},
			remarks: "SWIFT: DCBKKPPY",
		},
		{
			// One passport written three times, in French, Spanish and
			// English: one identifier.
			file: un2026, id: "KPi.006",
			want: screen.Entry{
				Source: screen.SourceUN, ID: "KPi.006", Kind: screen.KindPerson,
				Names: []screen.Name{
					latin("PAEK CHANG-HO", screen.NamePrimary),
					latin("Pak Chang-Ho", screen.NameAlias),
					latin("Paek Ch'ang-Ho", screen.NameAlias),
				},
				Identifiers: []screen.Identifier{{Type: screen.IDPassport, Value: "381420754",
					Raw: "Numéro de passeport, 381420754"}},
				Programs:      []string{"DPRK"},
				Nationalities: []string{"Democratic People's Republic of Korea"},
				BirthDates:    []string{"1964-06-18"},
				ListedOn:      "2013-01-22",
			},
			remarks: "satellite control center",
		},
		{
			file: unVessels, id: "8712362",
			want: screen.Entry{
				Source: screen.SourceUNVessels, ID: "8712362", Kind: screen.KindVessel,
				Names:       []screen.Name{latin("CHON MYONG 1", screen.NamePrimary)},
				Identifiers: []screen.Identifier{{Type: screen.IDIMO, Value: "8712362", Raw: "IMO 8712362"}},
				Programs:    []string{"DPRK"},
				ListedOn:    "2018-03-30",
				Vessel:      &screen.Vessel{},
			},
			remarks: "ship-to-ship transfer",
		},
		{
			// Name, MMSI, flag and call-sign histories: every old name is an
			// alias, every old MMSI and call sign an identifier.
			file: unVessels, id: "8909575",
			want: screen.Entry{
				Source: screen.SourceUNVessels, ID: "8909575", Kind: screen.KindVessel,
				Names: []screen.Name{
					latin("Blue Nouvelle", screen.NamePrimary),
					latin("Greenlight", screen.NameAlias),
					latin("Chong Bong", screen.NameAlias),
				},
				Identifiers: []screen.Identifier{
					{Type: screen.IDIMO, Value: "8909575", Raw: "IMO 8909575"},
					{Type: screen.IDMMSI, Value: "529734000", Raw: "MMSI 529734000"},
					{Type: screen.IDMMSI, Value: "515721000", Raw: "MMSI 515721000"},
					{Type: screen.IDMMSI, Value: "445114000", Raw: "MMSI 445114000"},
					{Type: screen.IDMMSI, Value: "445528000", Raw: "MMSI 445528000"},
					{Type: screen.IDCallSign, Value: "T3NM2", Raw: "T3NM2"},
					{Type: screen.IDCallSign, Value: "XUJX6", Raw: "XUJX6"},
					{Type: screen.IDCallSign, Value: "HMXW", Raw: "HMXW"},
				},
				Programs: []string{"DPRK"},
				ListedOn: "2017-06-21",
				Vessel: &screen.Vessel{Type: "General Cargo Ship",
					Flags: []string{"Kiribati", "Cambodia", "Democratic People’s Republic of Korea"}},
			},
			remarks: "Ocean Maritime Management Company (OMM)",
		},
		{
			file: ofac2024, id: "23726",
			want: screen.Entry{
				Source: screen.SourceOFAC, ID: "23726", Kind: screen.KindVessel,
				Names: []screen.Name{latin("CHON MYONG 1", screen.NamePrimary)},
				Identifiers: []screen.Identifier{{Type: screen.IDIMO, Value: "8712362",
					Raw: "Vessel Registration Identification IMO 8712362"}},
				Programs: []string{"DPRK4"},
				Vessel:   &screen.Vessel{Flags: []string{"Democratic People's Republic of Korea"}},
			},
			remarks: "Linked To: CHONMYONG SHIPPING CO.",
		},
		{
			// Call sign, tonnage and flag in their own columns; IMO, MMSI,
			// former flags and a weak former name in Remarks.
			file: ofac2024, id: "15036",
			want: screen.Entry{
				Source: screen.SourceOFAC, ID: "15036", Kind: screen.KindVessel,
				Names: []screen.Name{
					latin("ARTAVIL", screen.NamePrimary),
					{Text: "ALPHA", Quality: screen.NameWeakAlias, Former: true, Script: "Latin"},
				},
				Identifiers: []screen.Identifier{
					{Type: screen.IDCallSign, Value: "T2EU4", Raw: "T2EU4"},
					{Type: screen.IDIMO, Value: "9187629", Raw: "Vessel Registration Identification IMO 9187629"},
					{Type: screen.IDMMSI, Value: "572469210", Raw: "MMSI 572469210"},
				},
				Programs: []string{"IRAN"},
				Vessel: &screen.Vessel{Type: "Crude/Oil Products Tanker", Tonnage: "99,144", GrossTonnage: "56,068",
					Flags: []string{"Iran", "Malta", "Tuvalu", "None Identified", "Tanzania"}},
			},
			remarks: "NATIONAL IRANIAN TANKER COMPANY",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.id, func(t *testing.T) {
			e := *findEntry(t, parseSnapshot(t, tt.file), tt.id)
			if !strings.Contains(e.Remarks, tt.remarks) {
				t.Errorf("Remarks = %q, want it to contain %q", e.Remarks, tt.remarks)
			}
			e.Remarks = ""
			if !reflect.DeepEqual(e, tt.want) {
				t.Errorf("entry\n got %+v\nwant %+v", e, tt.want)
			}
		})
	}
}

// TestGoldenLazarusWallets follows one Lazarus-linked person through the
// three OFAC snapshots: the wallets are identifiers of the person, and the
// release with sdn_comments.csv recovers what sdn.csv alone cuts off.
func TestGoldenLazarusWallets(t *testing.T) {
	tests := []struct {
		file        string
		wallets     int
		weakAliases []string
		nationalID  bool // "Identification Number ... (China)" is past the cut
	}{
		{ofac2024, 12, nil, false},
		{ofac2021, 12, []string{"blackjack1987", "khaleesi"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := findEntry(t, parseSnapshot(t, tt.file), "28264")
			if e.Kind != screen.KindPerson || e.PrimaryName() != "LI, Jiadong" {
				t.Errorf("kind, name = %s, %q", e.Kind, e.PrimaryName())
			}
			if !reflect.DeepEqual(e.Programs, []string{"DPRK3", "CYBER2"}) {
				t.Errorf("programs = %q", e.Programs)
			}
			if got := len(e.IdentifiersOf(screen.IDWallet)); got != tt.wallets {
				t.Errorf("%d wallets, want %d", got, tt.wallets)
			}
			for _, addr := range []string{"1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE", "3N6WeZ6i34taX8Ditser6LKWBcXmt2XXL4"} {
				if !hasID(e, screen.IDWallet, addr, "XBT") {
					t.Errorf("no XBT wallet %s", addr)
				}
			}
			if got := names(e, screen.NameWeakAlias); !reflect.DeepEqual(got, tt.weakAliases) {
				t.Errorf("weak aliases = %q, want %q", got, tt.weakAliases)
			}
			if got := hasID(e, screen.IDOther, "210302198701102136", ""); got != tt.nationalID {
				t.Errorf("identification number present = %v, want %v", got, tt.nationalID)
			}
			if !reflect.DeepEqual(e.Nationalities, []string{"China"}) || !reflect.DeepEqual(e.BirthDates, []string{"1987-01-10"}) {
				t.Errorf("nationalities, birth dates = %q, %q", e.Nationalities, e.BirthDates)
			}
		})
	}
}
