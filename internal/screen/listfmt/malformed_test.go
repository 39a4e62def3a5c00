package listfmt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const crlf = "\r\n"

// sdnRow builds a well-formed sdn.csv line.
func sdnRow(entNum, name, typ, remarks string) string {
	return entNum + `,"` + name + `",` + typ + `,"DPRK3",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,` + remarks + crlf
}

// TestMalformed documents what is refused and how the refusal reads. Each
// input differs from a valid one in one way.
func TestMalformed(t *testing.T) {
	fixture := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	unSmall, ofacSmall, vesselsSmall := fixture("un-small.xml"), fixture("ofac-small.xml"), fixture("vessels-small.html")
	good := sdnRow("1", "KIM, Chol", `"individual"`, "-0- ")
	tests := []struct {
		name    string
		format  string // "un", "ofac-csv", "ofac-xml", "vessels"
		input   string
		want    string // the error text, or a part of it
		wantErr error  // a sentinel the error must wrap, if any
	}{
		{"un: another root", "un", `<?xml version="1.0"?><sdnList/>`, "un xml: line 1, byte 31, in sdnList: root element is sdnList, not CONSOLIDATED_LIST", nil},
		{"un: no date", "un", strings.Replace(unSmall, `dateGenerated="2026-02-27T00:00:09.554Z"`, "", 1), "root dateGenerated attribute: parsing time", nil},
		{"un: no entries", "un", `<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>`, "un xml: implausible list: no entries", ErrImplausible},
		{"un: no ENTITIES", "un", `<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS/></CONSOLIDATED_LIST>`, "expected INDIVIDUALS then ENTITIES, found [INDIVIDUALS]", nil},
		{"un: duplicate reference", "un", strings.Replace(unSmall, "KPe.999", "KPe.020", 1), "implausible list: entry id KPe.020 appears twice", ErrImplausible},
		{"un: no reference", "un", strings.Replace(unSmall, "<REFERENCE_NUMBER>KPi.006</REFERENCE_NUMBER>", "", 1), "in CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: record without REFERENCE_NUMBER", nil},
		{"un: mismatched tag", "un", strings.Replace(unSmall, "</COMMENTS1>", "</COMMENT>", 1), "un xml: line 14, byte 745, in CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL: malformed XML: element <COMMENTS1> closed by </COMMENT>", nil},
		{"un: second document", "un", unSmall + unSmall, "a second element after the root element ends", nil},

		{"csv: short row mid-file", "ofac-csv", good + "2,\"X\",-0- " + crlf + good + eofMarker, "ofac csv: sdn.csv: line 2: expected 12 fields, found 3", nil},
		{"csv: unknown type", "ofac-csv", sdnRow("1", "X", `"spaceship"`, "-0- ") + eofMarker, `ofac csv: sdn.csv: line 1: ent_num 1: unknown SDN_Type "spaceship"`, nil},
		{"csv: ent_num", "ofac-csv", sdnRow("A1", "X", "-0- ", "-0- ") + eofMarker, `line 1: ent_num "A1" is not a number`, nil},
		{"csv: duplicate", "ofac-csv", good + good + eofMarker, "line 2: ent_num 1 appears twice", nil},
		{"csv: bare quote", "ofac-csv", `1,"KIM "Chol"",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + crlf + good + eofMarker, `line 1: extraneous or missing " in quoted-field`, nil},
		{"csv: after marker", "ofac-csv", good + eofMarker + good, "line 2: data after the end-of-file marker", nil},
		{"csv: marker then data", "ofac-csv", good + eofMarker + crlf + good, "line 2: data after the end-of-file marker", nil},
		{"csv: no marker", "ofac-csv", good, "after line 1: the file ends without OFAC's end-of-file marker (0x1A) (is the file truncated?)", ErrTruncated},
		{"csv: empty", "ofac-csv", eofMarker, "ofac csv: sdn.csv: implausible list: no entries", ErrImplausible},
		{"csv: nameless", "ofac-csv", sdnRow("1", "", "-0- ", "-0- ") + eofMarker, "ent_num 1 has no name", nil},

		{"xml: count", "ofac-xml", strings.Replace(ofacSmall, "<Record_Count>3<", "<Record_Count>4<", 1), "ofac xml: sdnList: implausible list: Record_Count says 4 entries, found 3", ErrImplausible},
		{"xml: date", "ofac-xml", strings.Replace(ofacSmall, "04/06/2018", "2018-04-06", 1), `publication date "2018-04-06" in Publish_Date is not MM/DD/YYYY`, nil},
		{"xml: no count", "ofac-xml", strings.Replace(ofacSmall, "<Record_Count>3</Record_Count>", "", 1), `in sdnList/publshInformation: record count "" in Record_Count is not a number`, nil},
		{"xml: type", "ofac-xml", strings.Replace(ofacSmall, "<sdnType>Vessel<", "<sdnType>Boat<", 1), `in sdnList/sdnEntry: uid 15036: unknown sdnType "Boat"`, nil},

		{"vessels: none", "vessels", "<html><body><p>1718 Designated Vessels List</p></body></html>", "un vessels html: implausible list: no entries", ErrImplausible},
		{"vessels: numbering", "vessels", strings.Replace(vesselsSmall, ">6<", ">7<", 1), "un vessels html: implausible list: found 6 vessels but no vessel number 6", ErrImplausible},
		{"vessels: nameless", "vessels", strings.Replace(vesselsSmall, "1: <b>AN SAN 1</b>", "1: ", 1), `un vessels html: table row 4: vessel without a name in "1:"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			r := strings.NewReader(tt.input)
			switch tt.format {
			case "un":
				_, err = ParseUN(r)
			case "ofac-csv":
				_, err = ParseOFACCSV(r, nil, nil, nil)
			case "ofac-xml":
				_, err = ParseOFACXML(r)
			case "vessels":
				_, err = ParseUNVessels(r)
			}
			if err == nil {
				t.Fatalf("accepted; want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error does not wrap %v", tt.wantErr)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error is not a *ParseError")
			}
		})
	}
}

// TestOFACSetMismatch refuses a set whose files come from different releases.
func TestOFACSetMismatch(t *testing.T) {
	sdn := strings.NewReader(sdnRow("1", "X", "-0- ", "-0- ") + eofMarker)
	alt := strings.NewReader(`2,10,"aka","Y",-0- ` + crlf + eofMarker)
	_, err := ParseOFACCSV(sdn, alt, nil, nil)
	want := `ofac csv: alt.csv: line 1: ent_num "2" is not in sdn.csv (are the files from different releases?)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
