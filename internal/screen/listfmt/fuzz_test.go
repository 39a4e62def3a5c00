package listfmt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"tipline/internal/screen"
)

// The fuzzers feed each parser arbitrary bytes, seeded with the fixtures in
// testdata. A parser must not panic; it either refuses the input with a
// *ParseError and no list, or returns a list that keeps the model's
// invariants, whose hash is that of the input, and that parsing again
// reproduces exactly.

func seed(f *testing.F, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func checkResult(t *testing.T, list *screen.List, err error, input []byte, again func() (*screen.List, error)) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error is not a *ParseError: %v", err)
		}
		if list != nil {
			t.Fatalf("a list returned with error %v", err)
		}
		return
	}
	if len(list.Entries) == 0 {
		t.Fatal("accepted a list without entries")
	}
	if err := list.Validate(); err != nil {
		t.Fatalf("invalid list accepted: %v", err)
	}
	total := 0
	for k, n := range list.Counts() {
		if k != screen.KindWallet {
			total += n
		}
	}
	if total != len(list.Entries) {
		t.Fatalf("counts add up to %d, not %d", total, len(list.Entries))
	}
	if input != nil {
		sum := sha256.Sum256(input)
		if list.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("SHA256 %s is not that of the input", list.SHA256)
		}
	}
	second, err := again()
	if err != nil || !reflect.DeepEqual(list, second) {
		t.Fatalf("a second parse differs (err %v)", err)
	}
}

func FuzzParseUN(f *testing.F) {
	f.Add(seed(f, "un-small.xml"))
	f.Add([]byte(`<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseUN(bytes.NewReader(data))
		checkResult(t, list, err, data, func() (*screen.List, error) { return ParseUN(bytes.NewReader(data)) })
	})
}

func FuzzParseOFACXML(f *testing.F) {
	f.Add(seed(f, "ofac-small.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseOFACXML(bytes.NewReader(data))
		checkResult(t, list, err, data, func() (*screen.List, error) { return ParseOFACXML(bytes.NewReader(data)) })
	})
}

func FuzzParseUNVessels(f *testing.F) {
	f.Add(seed(f, "vessels-small.html"))
	f.Add([]byte("<html><table><tr><td>1</td><td>1: A 2: B</td><td>8712362 MMSI: 1: 445114000</td><td>30-Mar-18</td></tr>" +
		"<tr><td>Call Sign</td><td>1: HM 2: X</td><td>Flag</td><td>1. Korea 2: Panama</td></tr></table></html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseUNVessels(bytes.NewReader(data))
		checkResult(t, list, err, data, func() (*screen.List, error) { return ParseUNVessels(bytes.NewReader(data)) })
	})
}

// FuzzParseOFACCSV fuzzes sdn.csv together with alt.csv, add.csv and
// sdn_comments.csv; an empty secondary input stands for an absent file.
func FuzzParseOFACCSV(f *testing.F) {
	f.Add(seed(f, "ofac-set/sdn.csv"), seed(f, "ofac-set/alt.csv"), seed(f, "ofac-set/add.csv"), seed(f, "ofac-set/sdn_comments.csv"))
	f.Add(seed(f, "ofac-set/sdn.csv"), []byte{}, []byte{}, []byte{})
	f.Add([]byte(sdnRow("1", "KIM, Chol", `"individual"`, `"a.k.a. 'K'; Digital Currency Address - XBT 1abc; MMSI 123456789."`)+eofMarker), []byte{}, []byte{}, []byte(`1,"x"`+crlf))
	f.Fuzz(func(t *testing.T, sdn, alt, add, comments []byte) {
		parse := func() (*screen.List, error) {
			return ParseOFACCSV(bytes.NewReader(sdn), optional(alt), optional(add), optional(comments))
		}
		list, err := parse()
		var input []byte
		if len(alt) == 0 && len(add) == 0 && len(comments) == 0 {
			input = sdn // a lone file's hash is the file's own
		}
		checkResult(t, list, err, input, parse)
	})
}

// FuzzSniff checks that whatever a list file starts with, it is recognised
// as one format or refused with ErrUnknownFormat.
func FuzzSniff(f *testing.F) {
	for _, name := range []string{"un-small.xml", "ofac-small.xml", "vessels-small.html", "ofac-set/sdn.csv", "ofac-set/alt.csv"} {
		b := seed(f, name)
		f.Add(b[:min(len(b), sniffSize)])
	}
	f.Add([]byte("\ufeff<?xml version=\"1.0\"?><!DOCTYPE x><Sanctions/>"))
	f.Fuzz(func(t *testing.T, head []byte) {
		head = head[:min(len(head), sniffSize)]
		format, err := sniff(head)
		if err != nil {
			if format != "" || !errors.Is(err, ErrUnknownFormat) {
				t.Fatalf("sniff = %q, %v; want no format and ErrUnknownFormat", format, err)
			}
			return
		}
		switch format {
		case FormatUN, FormatOFACXML, FormatUNVessels, FormatOFACCSV:
		default:
			t.Fatalf("sniff = %q, not a format", format)
		}
	})
}

// optional returns a reader for b, or a nil interface (not a nil
// *bytes.Reader, which would be a non-nil io.Reader) when b is empty.
func optional(b []byte) io.Reader {
	if len(b) == 0 {
		return nil
	}
	return bytes.NewReader(b)
}
