package listfmt_test

import (
	"fmt"
	"log"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
)

// A folder holding sdn.csv is one OFAC CSV set: the strong aliases of
// alt.csv and the Remarks continued in sdn_comments.csv are merged in.
func ExampleParseFile_ofacSet() {
	format, err := listfmt.Detect("testdata/ofac-set")
	if err != nil {
		log.Fatal(err)
	}
	list, err := listfmt.ParseFile("testdata/ofac-set")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(format, list.Source, len(list.Entries), "entries")
	for _, e := range list.Entries {
		fmt.Printf("%s %s %q %v\n", e.ID, e.Kind, e.PrimaryName(), e.Programs)
		for _, n := range e.Names[1:] {
			fmt.Printf("  name %s %q\n", n.Quality, n.Text)
		}
		for _, id := range e.Identifiers {
			fmt.Printf("  %s %s %s\n", id.Type, id.Currency, id.Value)
		}
	}
	// Output:
	// ofac-csv ofac 6 entries
	// 36 organization "AEROCARIBBEAN AIRLINES" [CUBA]
	// 306 organization "BANCO NACIONAL DE CUBA" [CUBA]
	//   name weak-alias "BNC"
	//   name alias "NATIONAL BANK OF CUBA"
	// 15036 vessel "ARTAVIL" [IRAN]
	//   name weak-alias "ALPHA"
	//   name alias "ABADAN"
	//   call-sign  T2EU4
	//   imo  9187629
	//   mmsi  572469210
	// 15431 organization "EP-GOM" [SDGT]
	// 28264 person "LI, Jiadong" [DPRK3 CYBER2]
	//   name weak-alias "blackjack1987"
	//   wallet XBT 1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE
	//   wallet XBT 17UVSMegvrzfobKC82dHXpZLtLcqzW9stF
	//   passport  G12345678
	//   national-id  210302198701102136
	//   wallet ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c
	// 7831 person "DUMONT, Lionel" [SDGT]
	//   name weak-alias "BILAL"
}

// Entities of the UN list that carry an IMO number in their comments get it
// as a company IMO number; an entity named as a ship is a vessel.
func ExampleParseUN() {
	list, err := listfmt.ParseFile("testdata/un-small.xml")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(list.Published.Format("2006-01-02"), list.Counts()[screen.KindPerson], "person,", list.Counts()[screen.KindOrganization], "organisation,", list.Counts()[screen.KindVessel], "vessel")
	for _, e := range list.Entries {
		fmt.Printf("%s %s %q born %v\n", e.ID, e.Kind, e.PrimaryName(), e.BirthDates)
		for _, n := range e.Names[1:] {
			fmt.Printf("  name %s %q %s former=%v\n", n.Quality, n.Text, n.Script, n.Former)
		}
		for _, id := range e.Identifiers {
			fmt.Printf("  %s %s (%s)\n", id.Type, id.Value, id.Raw)
		}
	}
	// Output:
	// 2026-02-27 1 person, 1 organisation, 1 vessel
	// KPi.006 person "PAEK CHANG-HO" born [1964-06-18 1960/1965]
	//   name alias "Pak Chang-Ho" Latin former=false
	//   name weak-alias "Paek Ch'ang-Ho" Latin former=false
	//   name weak-alias "Pak Ch'ang-Ho" Latin former=false
	//   name original-script "백창호" Hangul former=false
	//   passport 381420754 (Numéro de passeport, 381420754)
	//   national-id 12345 (National Identification Number, 12345)
	// KPe.020 organization "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)" born []
	//   name alias "East Sea Shipping Company" Latin former=false
	//   name alias "Haeyang Crew Management Company" Latin former=true
	//   company-imo 1790183 ((IMO) Number: 1790183)
	// KPe.999 vessel "M/V EXAMPLE STAR" born []
	//   imo 8712362 (IMO number: 8712362)
}
