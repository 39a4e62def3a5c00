package listfmt

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tipline/internal/screen"
)

const ofacXMLFormat = "ofac xml"

type ofacXMLEntry struct {
	UID       string   `xml:"uid"`
	FirstName string   `xml:"firstName"`
	LastName  string   `xml:"lastName"`
	Type      string   `xml:"sdnType"`
	Remarks   string   `xml:"remarks"`
	Programs  []string `xml:"programList>program"`
	IDs       []struct {
		Type    string `xml:"idType"`
		Number  string `xml:"idNumber"`
		Country string `xml:"idCountry"`
	} `xml:"idList>id"`
	AKAs []struct {
		Type      string `xml:"type"`
		Category  string `xml:"category"`
		FirstName string `xml:"firstName"`
		LastName  string `xml:"lastName"`
	} `xml:"akaList>aka"`
	Nationalities []string `xml:"nationalityList>nationality>country"`
	Countries     []string `xml:"addressList>address>country"`
	Citizenships  []string `xml:"citizenshipList>citizenship>country"`
	BirthDates    []string `xml:"dateOfBirthList>dateOfBirthItem>dateOfBirth"`
	Vessel        *struct {
		CallSign     string `xml:"callSign"`
		Type         string `xml:"vesselType"`
		Flag         string `xml:"vesselFlag"`
		Owner        string `xml:"vesselOwner"`
		Tonnage      string `xml:"tonnage"`
		GrossTonnage string `xml:"grossRegisteredTonnage"`
	} `xml:"vesselInfo"`
}

// ParseOFACXML reads OFAC's sdnList XML (sdn.xml, consensus.xml and the
// consolidated non-SDN list share the schema). Kinds map as in ParseOFACCSV;
// identifiers come from idList and vesselInfo, aliases from akaList with
// their strong or weak category. The entry count is checked against
// publshInformation/Record_Count, which catches a file cut between entries.
func ParseOFACXML(r io.Reader) (*screen.List, error) {
	hr := newHashingReader(r)
	p := xmlParser{format: ofacXMLFormat, dec: xml.NewDecoder(hr)}
	list := &screen.List{Source: screen.SourceOFAC}
	recordCount := -1
	err := p.walk(func(path []string, start xml.StartElement) error {
		switch {
		case len(path) == 1:
			if start.Name.Local != "sdnList" {
				return fmt.Errorf("root element is %s, not sdnList", start.Name.Local)
			}
		case len(path) == 2 && start.Name.Local == "publshInformation":
			var info struct {
				Date  string `xml:"Publish_Date"`
				Count string `xml:"Record_Count"`
			}
			if err := p.decode(&info, &start); err != nil {
				return err
			}
			t, err := time.Parse("01/02/2006", clean(info.Date))
			if err != nil {
				return fmt.Errorf("publication date %q in Publish_Date is not MM/DD/YYYY", info.Date)
			}
			list.Published = t
			if recordCount, err = strconv.Atoi(clean(info.Count)); err != nil {
				return fmt.Errorf("record count %q in Record_Count is not a number", info.Count)
			}
		case len(path) == 2 && start.Name.Local == "sdnEntry":
			var x ofacXMLEntry
			if err := p.decode(&x, &start); err != nil {
				return err
			}
			e, err := ofacXMLToEntry(&x)
			if err != nil {
				return err
			}
			list.Entries = append(list.Entries, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if recordCount < 0 {
		return nil, &ParseError{Format: ofacXMLFormat, Where: "sdnList", Err: fmt.Errorf("no publshInformation/Record_Count")}
	}
	if recordCount != len(list.Entries) {
		return nil, &ParseError{Format: ofacXMLFormat, Where: "sdnList",
			Err: fmt.Errorf("%w: Record_Count says %d entries, found %d", ErrImplausible, recordCount, len(list.Entries))}
	}
	return finishList(ofacXMLFormat, list, hr)
}

func ofacXMLToEntry(x *ofacXMLEntry) (screen.Entry, error) {
	e := screen.Entry{Source: screen.SourceOFAC, ID: clean(x.UID), Remarks: clean(x.Remarks)}
	if _, err := strconv.ParseUint(e.ID, 10, 64); err != nil {
		return e, fmt.Errorf("uid %q is not a number", x.UID)
	}
	switch typ := clean(x.Type); strings.ToLower(typ) {
	case "individual":
		e.Kind = screen.KindPerson
	case "vessel":
		e.Kind = screen.KindVessel
		e.Vessel = &screen.Vessel{}
	case "entity", "aircraft":
		e.Kind = screen.KindOrganization
	default:
		return e, fmt.Errorf("uid %s: unknown sdnType %q", e.ID, typ)
	}
	addName(&e, ofacXMLName(x.LastName, x.FirstName), screen.NamePrimary, false)
	if len(e.Names) == 0 {
		return e, fmt.Errorf("uid %s has no name", e.ID)
	}
	for _, a := range x.AKAs {
		q := screen.NameAlias
		if strings.EqualFold(clean(a.Category), "weak") {
			q = screen.NameWeakAlias
		}
		addName(&e, ofacXMLName(a.LastName, a.FirstName), q, clean(a.Type) == "f.k.a.")
	}
	for _, p := range x.Programs {
		e.Programs = addUnique(e.Programs, p)
	}
	if v := x.Vessel; v != nil && e.Vessel != nil {
		e.Vessel.Type = clean(v.Type)
		e.Vessel.Flags = addUnique(nil, v.Flag)
		e.Vessel.Owner = clean(v.Owner)
		e.Vessel.Tonnage = clean(v.Tonnage)
		e.Vessel.GrossTonnage = clean(v.GrossTonnage)
	}
	if v := x.Vessel; v != nil && clean(v.CallSign) != "" {
		addID(&e, screen.Identifier{Type: screen.IDCallSign, Value: callSign(v.CallSign), Raw: clean(v.CallSign)})
	}
	for _, id := range x.IDs {
		raw := clean(id.Type + " " + id.Number)
		if c := clean(id.Country); c != "" {
			raw += " (" + c + ")"
		}
		ofacFact(&e, clean(id.Type), clean(id.Number), raw)
	}
	for _, n := range append(x.Nationalities, x.Citizenships...) {
		e.Nationalities = addUnique(e.Nationalities, n)
	}
	for _, d := range x.BirthDates {
		e.BirthDates = addUnique(e.BirthDates, ofacDate(d))
	}
	for _, c := range x.Countries {
		e.Countries = addUnique(e.Countries, c)
	}
	return e, nil
}

// ofacXMLName writes a name the way sdn.csv does, "LAST, First", so that
// the two formats of one release give the same names.
func ofacXMLName(last, first string) string {
	last, first = clean(last), clean(first)
	if first == "" {
		return last
	}
	if last == "" {
		return first
	}
	return last + ", " + first
}
