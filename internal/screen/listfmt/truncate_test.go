package listfmt

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tipline/internal/screen"
)

// cutAt keeps the first n bytes.
func cutAt(n func(data []byte) int) func([]byte) []byte {
	return func(data []byte) []byte { return data[:n(data)] }
}

func half(data []byte) int { return len(data) / 2 }

// after cuts just after the first occurrence of marker past the middle of
// the file: a cut on a record boundary, the hardest kind to notice.
func after(marker string) func([]byte) int {
	return func(data []byte) int {
		i := bytes.Index(data[len(data)/2:], []byte(marker))
		return len(data)/2 + i + len(marker)
	}
}

// TestTruncatedSnapshots cuts each real file and checks that it is refused,
// never half imported, with an error that says where it stopped.
func TestTruncatedSnapshots(t *testing.T) {
	parsers := map[string]func(io.Reader) (*screen.List, error){
		un2026:                func(r io.Reader) (*screen.List, error) { return ParseUN(r) },
		ofacXML:               func(r io.Reader) (*screen.List, error) { return ParseOFACXML(r) },
		unVessels:             func(r io.Reader) (*screen.List, error) { return ParseUNVessels(r) },
		ofac2024:              func(r io.Reader) (*screen.List, error) { return ParseOFACCSV(r, nil, nil, nil) },
		ofac2021 + "/alt.csv": nil, // the set, with alt.csv cut
	}
	tests := []struct {
		file  string
		cut   func([]byte) []byte
		where string // a regexp the error must match
	}{
		{un2026, cutAt(half), `^un xml: line \d+, byte \d+, in CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL\[\d+\]: the document ends before its elements are closed \(is the file truncated\?\)$`},
		{un2026, cutAt(after("</ENTITY>\n")), `^un xml: line \d+, byte \d+, in CONSOLIDATED_LIST/ENTITIES: the document ends before its elements are closed`},
		{un2026, cutAt(func(d []byte) int { return len(d) - 10 }), `in CONSOLIDATED_LIST: the document ends before its elements are closed`},
		{ofacXML, cutAt(half), `^ofac xml: line \d+, byte \d+, in sdnList/sdnEntry\[\d+\]: the document ends before`},
		{ofacXML, cutAt(after("</sdnEntry>")), `^ofac xml: line \d+, byte \d+, in sdnList: the document ends before`},
		{unVessels, cutAt(half), `^un vessels html: byte \d+: the document ends before </html> \(is the file truncated\?\)$`},
		{unVessels, cutAt(after("</tr>")), `^un vessels html: byte \d+: the document ends before`},
		{ofac2024, cutAt(half), `^ofac csv: sdn\.csv: line \d+: a quoted field is not closed before the end of the file \(is the file truncated\?\)$`},
		{ofac2024, cutAt(after("\r\n")), `^ofac csv: sdn\.csv: after line \d+: the file ends without`},
		{ofac2024, cutAt(after(`,"individual",`)), `^ofac csv: sdn\.csv: line \d+: expected 12 fields, found 4 \(is the file truncated\?\)$`},
		{ofac2021 + "/alt.csv", cutAt(half), `^ofac csv: alt\.csv: line \d+: a quoted field is not closed`},
		{ofac2021 + "/alt.csv", cutAt(after("\r\n")), `^ofac csv: alt\.csv: after line \d+: the file ends without`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(snapshot(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			cut := bytes.NewReader(tt.cut(data))
			var list *screen.List
			if parse := parsers[tt.file]; parse != nil {
				list, err = parse(cut)
			} else {
				list, err = parseSetWith(t, filepath.Dir(snapshot(t, tt.file)), filepath.Base(tt.file), cut)
			}
			if err == nil {
				t.Fatalf("accepted a file cut to %d of %d bytes (%d entries)", cut.Size(), len(data), len(list.Entries))
			}
			if list != nil {
				t.Errorf("returned a list with the error")
			}
			if !errors.Is(err, ErrTruncated) {
				t.Errorf("error does not wrap ErrTruncated: %v", err)
			}
			if !regexp.MustCompile(tt.where).MatchString(err.Error()) {
				t.Errorf("error %q\ndoes not match %q", err, tt.where)
			}
		})
	}
}

// parseSetWith parses the OFAC CSV set in dir with the file named replaced.
func parseSetWith(t *testing.T, dir, name string, replacement io.Reader) (*screen.List, error) {
	var readers []io.Reader
	for _, n := range []string{ofacSDN, ofacAlt, ofacAdd, ofacComments} {
		if n == name {
			readers = append(readers, replacement)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, bytes.NewReader(data))
	}
	return ParseOFACCSV(readers[0], readers[1], readers[2], readers[3])
}

// TestTruncatedFixtures cuts the small fixtures at every byte: whatever the
// cut, the result is an error or, for a cut only in trailing white space,
// the complete list.
func TestTruncatedFixtures(t *testing.T) {
	for _, name := range []string{"un-small.xml", "ofac-small.xml", "vessels-small.html", "ofac-set/sdn.csv"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			full, err := parseBytes(name, data)
			if err != nil {
				t.Fatal(err)
			}
			step := max(1, len(data)/2000)
			for n := 0; n < len(data); n += step {
				list, err := parseBytes(name, data[:n])
				if err != nil {
					continue
				}
				if strings.TrimSpace(string(data[n:])) != "" || len(list.Entries) != len(full.Entries) {
					t.Fatalf("cut at byte %d of %d: accepted with %d of %d entries", n, len(data), len(list.Entries), len(full.Entries))
				}
			}
		})
	}
}

func parseBytes(name string, data []byte) (*screen.List, error) {
	r := bytes.NewReader(data)
	switch {
	case strings.HasSuffix(name, ".csv"):
		return ParseOFACCSV(r, nil, nil, nil)
	case strings.HasPrefix(name, "un-"):
		return ParseUN(r)
	case strings.HasPrefix(name, "ofac-"):
		return ParseOFACXML(r)
	default:
		return ParseUNVessels(r)
	}
}
