package listfmt

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"tipline/internal/screen"
)

const unFormat = "un xml"

// unRecord is one INDIVIDUAL or ENTITY; the two share most elements, and the
// fields only one of them has (aliases, dates, documents) stay empty for the
// other.
type unRecord struct {
	First          string    `xml:"FIRST_NAME"`
	Second         string    `xml:"SECOND_NAME"`
	Third          string    `xml:"THIRD_NAME"`
	Fourth         string    `xml:"FOURTH_NAME"`
	ListType       string    `xml:"UN_LIST_TYPE"`
	Reference      string    `xml:"REFERENCE_NUMBER"`
	ListedOn       string    `xml:"LISTED_ON"`
	OriginalScript string    `xml:"NAME_ORIGINAL_SCRIPT"`
	Comments       string    `xml:"COMMENTS1"`
	Nationalities  []string  `xml:"NATIONALITY>VALUE"`
	EntityPlaces   []string  `xml:"ENTITY_ADDRESS>COUNTRY"`
	PersonPlaces   []string  `xml:"INDIVIDUAL_ADDRESS>COUNTRY"`
	PersonAliases  []unAlias `xml:"INDIVIDUAL_ALIAS"`
	EntityAliases  []unAlias `xml:"ENTITY_ALIAS"`
	BirthDates     []unDate  `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	Documents      []unDoc   `xml:"INDIVIDUAL_DOCUMENT"`
	DelistedOn     string    `xml:"DELISTED_ON"`
}

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unDate struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
}

type unDoc struct {
	Type    string `xml:"TYPE_OF_DOCUMENT"`
	Type2   string `xml:"TYPE_OF_DOCUMENT2"`
	Number  string `xml:"NUMBER"`
	Country string `xml:"ISSUING_COUNTRY"`
	Issued  string `xml:"COUNTRY_OF_ISSUE"`
	Note    string `xml:"NOTE"`
}

// ParseUN reads the UN Security Council Consolidated List XML
// (sc-sanctions.xsd). Individuals become persons; entities become
// organisations, or vessels when the name carries a ship prefix such as
// "M/V". Entries marked DELISTED_ON are left out: they are no longer listed.
func ParseUN(r io.Reader) (*screen.List, error) {
	hr := newHashingReader(r)
	p := xmlParser{format: unFormat, dec: xml.NewDecoder(hr)}
	list := &screen.List{Source: screen.SourceUN}
	var sections []string
	err := p.walk(func(path []string, start xml.StartElement) error {
		switch {
		case len(path) == 1:
			if start.Name.Local != "CONSOLIDATED_LIST" {
				return fmt.Errorf("root element is %s, not CONSOLIDATED_LIST", start.Name.Local)
			}
			t, err := time.Parse(time.RFC3339, attr(start, "dateGenerated"))
			if err != nil {
				return fmt.Errorf("root dateGenerated attribute: %w", err)
			}
			list.Published = t
		case len(path) == 2:
			sections = append(sections, start.Name.Local)
		case len(path) == 3 && (start.Name.Local == "INDIVIDUAL" || start.Name.Local == "ENTITY"):
			var rec unRecord
			if err := p.decode(&rec, &start); err != nil {
				return err
			}
			if clean(rec.DelistedOn) != "" {
				return nil
			}
			e, err := unEntry(&rec, start.Name.Local == "INDIVIDUAL")
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
	if strings.Join(sections, ",") != "INDIVIDUALS,ENTITIES" {
		return nil, &ParseError{Format: unFormat, Where: "CONSOLIDATED_LIST",
			Err: fmt.Errorf("expected INDIVIDUALS then ENTITIES, found %v", sections)}
	}
	return finishList(unFormat, list, hr)
}

// shipPrefix recognises an entity that is a ship rather than a company.
var shipPrefix = regexp.MustCompile(`^(?i:M/V|M\.V\.|MV|M/T|MT)\s`)

// unIMO finds "IMO number: 5571322", "IMO Number 5342883" and
// "International Maritime Organization (IMO) Number: 1790183" in comments,
// across line breaks.
var unIMO = regexp.MustCompile(`(?i)\(?\bIMO\b\)?\s*(?:number|no\.?)?\s*:?\s*(\d{7})\b`)

func unEntry(rec *unRecord, individual bool) (screen.Entry, error) {
	e := screen.Entry{
		Source:   screen.SourceUN,
		ID:       clean(rec.Reference),
		Kind:     screen.KindOrganization,
		ListedOn: isoDate(rec.ListedOn),
		Remarks:  clean(rec.Comments),
	}
	if e.ID == "" {
		return e, fmt.Errorf("record without REFERENCE_NUMBER")
	}
	var parts []string
	for _, s := range []string{rec.First, rec.Second, rec.Third, rec.Fourth} {
		// "na" is the schema's default for an absent name part; a real
		// Korean "NA" is written in capitals like every other part.
		if s = clean(s); s != "" && s != "na" {
			parts = append(parts, s)
		}
	}
	addName(&e, strings.Join(parts, " "), screen.NamePrimary, false)
	if len(e.Names) == 0 {
		return e, fmt.Errorf("%s: record without a name", e.ID)
	}
	aliases := rec.EntityAliases
	if individual {
		e.Kind = screen.KindPerson
		aliases = rec.PersonAliases
	} else if shipPrefix.MatchString(e.Names[0].Text) {
		e.Kind = screen.KindVessel
		e.Vessel = &screen.Vessel{}
	}
	for _, a := range aliases {
		q, former := screen.NameAlias, false
		switch strings.ToLower(clean(a.Quality)) {
		case "low":
			q = screen.NameWeakAlias
		case "f.k.a.":
			former = true
		}
		// One ALIAS_NAME sometimes lists several spellings: "Azim Adhajani; Azim Agha-Jani".
		for _, name := range strings.Split(a.Name, ";") {
			addName(&e, name, q, former)
		}
	}
	addName(&e, rec.OriginalScript, screen.NameOriginalScript, false)
	e.Programs = addUnique(nil, rec.ListType)
	for _, n := range rec.Nationalities {
		e.Nationalities = addUnique(e.Nationalities, n)
	}
	for _, c := range append(rec.EntityPlaces, rec.PersonPlaces...) {
		e.Countries = addUnique(e.Countries, c)
	}
	for _, d := range rec.BirthDates {
		e.BirthDates = addUnique(e.BirthDates, unBirthDate(d))
	}
	for _, d := range rec.Documents {
		addID(&e, unDocument(d))
	}
	if !individual {
		idType := screen.IDCompanyIMO
		if e.Kind == screen.KindVessel {
			idType = screen.IDIMO
		}
		for _, m := range unIMO.FindAllStringSubmatch(rec.Comments, -1) {
			addID(&e, screen.Identifier{Type: idType, Value: m[1], Raw: clean(m[0])})
		}
	}
	return e, nil
}

// isoDate keeps the date part of an xs:date, which may carry a zone
// ("2005-11-01-05:00").
func isoDate(s string) string {
	s = clean(s)
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return s
}

func unBirthDate(d unDate) string {
	var s string
	switch {
	case clean(d.Date) != "":
		s = isoDate(d.Date)
	case clean(d.Year) != "":
		s = clean(d.Year)
	case clean(d.FromYear) != "" || clean(d.ToYear) != "":
		s = clean(d.FromYear) + "/" + clean(d.ToYear)
	default:
		return ""
	}
	if strings.EqualFold(clean(d.Type), "APPROXIMATELY") {
		s += "~"
	}
	return s
}

// unDocument maps a travel or identity document. The UN writes the type in
// English, French or Spanish depending on the designating submission.
func unDocument(d unDoc) screen.Identifier {
	kind := strings.ToLower(clean(d.Type) + " " + clean(d.Type2))
	id := screen.Identifier{Type: screen.IDOther}
	switch {
	case strings.Contains(kind, "passport") || strings.Contains(kind, "passeport") || strings.Contains(kind, "pasaporte"):
		id.Type = screen.IDPassport
	case strings.Contains(kind, "identification") || strings.Contains(kind, "identité") || strings.Contains(kind, "identidad"):
		id.Type = screen.IDNationalID
	}
	id.Value = clean(d.Number)
	// "Diplomatic Passport: Z30321794": keep the number, not the label.
	if label, rest, ok := strings.Cut(id.Value, ": "); ok && !strings.ContainsAny(label, "0123456789") {
		id.Value = clean(rest)
	}
	var raw []string
	for _, s := range []string{d.Type, d.Type2, d.Number, d.Country, d.Issued, d.Note} {
		raw = addUnique(raw, s)
	}
	id.Raw = strings.Join(raw, ", ")
	return id
}
