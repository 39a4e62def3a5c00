package listfmt

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"tipline/internal/screen"
)

const ofacCSVFormat = "ofac csv"

// sdn.csv columns, in order; the file has no header row.
const (
	colEntNum = iota
	colName
	colType
	colProgram
	colTitle
	colCallSign
	colVesselType
	colTonnage
	colGRT
	colFlag
	colOwner
	colRemarks
	sdnFields
)

// ParseOFACCSV reads OFAC's legacy SDN CSV set: sdn.csv and, when given,
// alt.csv (strong aliases), add.csv (addresses) and sdn_comments.csv (the
// continuation of Remarks longer than the 1,000-character column). alt, add
// and comments may be nil, as in releases published as sdn.csv alone.
//
// SDN_Type maps to person (individual), vessel (vessel) and organisation
// (entity, shown as the null "-0-", and aircraft: an aircraft is screened by
// its name, which is its registration mark, like an entity, and the model
// has no kind for it). Facts OFAC keeps in Remarks (IMO, MMSI, wallet
// addresses with their currency, passports, national ids, weak a.k.a.s,
// nationality, date of birth) become fields of the entry; the Remarks text
// is kept whole as well.
//
// Of the addresses in add.csv the model keeps the country (Entry.Countries);
// every ent_num must be known (the files are of one release), and the file
// is part of the list's hash.
//
// sdn.csv, alt.csv and add.csv must end with OFAC's end-of-file marker (a
// 0x1A byte), which is how a download cut at a line boundary is told from a
// complete file; sdn_comments.csv has no marker and must end with a line
// break. The format carries no publication date, so List.Published is zero.
func ParseOFACCSV(sdn, alt, add, comments io.Reader) (*screen.List, error) {
	if sdn == nil {
		return nil, &ParseError{Format: ofacCSVFormat, Err: fmt.Errorf("sdn.csv is required")}
	}
	list := &screen.List{Source: screen.SourceOFAC}
	index := make(map[string]int)
	var remarks []string

	sdnFile := newCSVFile(ofacSDN, sdn, sdnFields, true)
	err := sdnFile.each(func(rec []string, where string) error {
		e, err := ofacRow(rec)
		if err != nil {
			return err
		}
		if _, dup := index[e.ID]; dup {
			return fmt.Errorf("ent_num %s appears twice", e.ID)
		}
		index[e.ID] = len(list.Entries)
		list.Entries = append(list.Entries, e)
		remarks = append(remarks, rec[colRemarks])
		return nil
	})
	if err != nil {
		return nil, err
	}
	files := []*csvFile{sdnFile}

	// known looks up the entry a row of a secondary file refers to; a row
	// about an unknown ent_num means the files come from different releases.
	known := func(entNum string) (int, error) {
		i, ok := index[clean(entNum)]
		if !ok {
			return 0, fmt.Errorf("ent_num %q is not in sdn.csv (are the files from different releases?)", entNum)
		}
		return i, nil
	}
	if comments != nil {
		f := newCSVFile(ofacComments, comments, 2, false)
		files = append(files, f)
		err := f.each(func(rec []string, _ string) error {
			i, err := known(rec[0])
			if err == nil {
				// The continuation starts mid-word: join without a separator.
				remarks[i] += nullable(rec[1])
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for i := range list.Entries {
		e := &list.Entries[i]
		e.Remarks = clean(nullable(remarks[i]))
		applyOFACRemarks(e, e.Remarks)
	}
	if alt != nil {
		f := newCSVFile(ofacAlt, alt, 5, true)
		files = append(files, f)
		err := f.each(func(rec []string, _ string) error {
			i, err := known(rec[0])
			if err != nil {
				return err
			}
			typ := strings.ToLower(clean(nullable(rec[2])))
			addName(&list.Entries[i], nullable(rec[3]), screen.NameAlias, typ == "fka")
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if add != nil {
		f := newCSVFile(ofacAdd, add, 6, true)
		files = append(files, f)
		err := f.each(func(rec []string, _ string) error {
			i, err := known(rec[0])
			if err == nil {
				// ent_num, add_num, address, city/state/postal code, country, add_remarks
				list.Entries[i].Countries = addUnique(list.Entries[i].Countries, nullable(rec[4]))
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	list.SHA256 = combinedHash(files)
	return finishCSVList(list)
}

// ofacRow maps one sdn.csv record, leaving Remarks for later because
// sdn_comments.csv may continue it.
func ofacRow(rec []string) (screen.Entry, error) {
	e := screen.Entry{Source: screen.SourceOFAC, ID: clean(rec[colEntNum])}
	if _, err := strconv.ParseUint(e.ID, 10, 64); err != nil {
		return e, fmt.Errorf("ent_num %q is not a number", rec[colEntNum])
	}
	switch typ := clean(nullable(rec[colType])); strings.ToLower(typ) {
	case "individual":
		e.Kind = screen.KindPerson
	case "vessel":
		e.Kind = screen.KindVessel
		e.Vessel = &screen.Vessel{
			Type:         clean(nullable(rec[colVesselType])),
			Flags:        addUnique(nil, nullable(rec[colFlag])),
			Owner:        clean(nullable(rec[colOwner])),
			Tonnage:      clean(nullable(rec[colTonnage])),
			GrossTonnage: clean(nullable(rec[colGRT])),
		}
	case "", "entity", "aircraft":
		e.Kind = screen.KindOrganization
	default:
		return e, fmt.Errorf("ent_num %s: unknown SDN_Type %q", e.ID, typ)
	}
	addName(&e, nullable(rec[colName]), screen.NamePrimary, false)
	if len(e.Names) == 0 {
		return e, fmt.Errorf("ent_num %s has no name", e.ID)
	}
	e.Programs = splitPrograms(nullable(rec[colProgram]))
	if cs := nullable(rec[colCallSign]); cs != "" {
		addID(&e, screen.Identifier{Type: screen.IDCallSign, Value: callSign(cs), Raw: clean(cs)})
	}
	return e, nil
}

// splitPrograms splits the Program column, which joins several programmes
// as "DPRK3] [NPWMD" (the brackets of "[DPRK3] [NPWMD]" with the outer two
// dropped).
func splitPrograms(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' }) {
		out = addUnique(out, p)
	}
	return out
}

// nullable turns OFAC's null marker "-0-" (written "-0- ") into "".
func nullable(s string) string {
	if strings.TrimSpace(s) == "-0-" {
		return ""
	}
	return s
}

func finishCSVList(list *screen.List) (*screen.List, error) {
	if len(list.Entries) == 0 {
		return nil, &ParseError{Format: ofacCSVFormat, File: "sdn.csv", Err: fmt.Errorf("%w: no entries", ErrImplausible)}
	}
	if err := list.Validate(); err != nil {
		return nil, &ParseError{Format: ofacCSVFormat, Err: fmt.Errorf("%w: %w", ErrImplausible, err)}
	}
	return list, nil
}
