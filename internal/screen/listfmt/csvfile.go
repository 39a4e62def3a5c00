package listfmt

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// eofMarker is the DOS end-of-file byte OFAC writes after the last record
// of each legacy CSV file.
const eofMarker = "\x1a"

// csvFile reads one file of the OFAC CSV set, record by record.
type csvFile struct {
	name   string
	fields int
	hr     *hashingReader
	r      *csv.Reader
	sum    string
	line   int  // where the last record read starts
	marker bool // the file must end with eofMarker
}

// newCSVFile reads r as the named file of the set. OFAC ends sdn.csv,
// alt.csv and add.csv with eofMarker but not sdn_comments.csv; a file
// without the marker must at least end with a line break.
func newCSVFile(name string, r io.Reader, fields int, marker bool) *csvFile {
	hr := newHashingReader(r)
	cr := csv.NewReader(hr)
	// Field counts are checked here, to say "expected 12, found 7".
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvFile{name: name, fields: fields, hr: hr, r: cr, marker: marker}
}

// each calls fn for every record. It fails, naming the line, on a record
// with the wrong number of fields, on bad quoting, on anything after the
// end-of-file marker, and when the file ends without its marker or final
// line break.
func (f *csvFile) each(fn func(rec []string, where string) error) error {
	first := true
	for {
		rec, err := f.r.Read()
		if err == io.EOF {
			if f.marker {
				return f.fail(fmt.Sprintf("after line %d", f.line), truncated("the file ends without OFAC's end-of-file marker (0x1A)"))
			}
			if f.hr.last != '\n' {
				return f.fail(fmt.Sprintf("line %d", f.line), truncated("the last line has no line break"))
			}
			return f.end(f.line)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				where := fmt.Sprintf("line %d", pe.StartLine)
				if _, next := f.r.Read(); next == io.EOF && errors.Is(pe.Err, csv.ErrQuote) {
					// The quote opened on this line is still open at the
					// end of the input.
					return f.fail(where, truncated("a quoted field is not closed before the end of the file"))
				}
				return f.fail(where, pe.Err)
			}
			return f.fail("", err)
		}
		line, _ := f.r.FieldPos(0)
		f.line = line
		if strings.HasPrefix(rec[0], eofMarker) {
			if len(rec) > 1 || strings.TrimSpace(rec[0]) != eofMarker {
				return f.fail(fmt.Sprintf("line %d", line), errors.New("data after the end-of-file marker"))
			}
			return f.end(line)
		}
		if first {
			// A file saved by some editors starts with a byte-order mark.
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			first = false
		}
		if len(rec) != f.fields {
			err := fmt.Errorf("expected %d fields, found %d", f.fields, len(rec))
			if _, next := f.r.Read(); next == io.EOF {
				err = truncated("expected %d fields, found %d", f.fields, len(rec))
			}
			return f.fail(fmt.Sprintf("line %d", line), err)
		}
		for i, s := range rec {
			if !utf8.ValidString(s) {
				// Older releases were written in Windows-1252.
				rec[i], _ = charmap.Windows1252.NewDecoder().String(s)
			}
		}
		where := fmt.Sprintf("line %d", line)
		if err := fn(rec, where); err != nil {
			return f.fail(where, err)
		}
	}
}

// end checks that nothing but white space follows the end-of-file marker
// and records the file's hash.
func (f *csvFile) end(line int) error {
	for {
		rec, err := f.r.Read()
		if err == io.EOF {
			break
		}
		if err != nil || strings.TrimSpace(strings.Join(rec, "")) != "" {
			return f.fail(fmt.Sprintf("line %d", line), errors.New("data after the end-of-file marker"))
		}
	}
	sum, err := f.hr.finish()
	if err != nil {
		return f.fail("", err)
	}
	f.sum = sum
	return nil
}

func (f *csvFile) fail(where string, err error) error {
	return &ParseError{Format: ofacCSVFormat, File: f.name, Where: where, Err: err}
}

// combinedHash is the SHA-256 of one file, or for several the SHA-256 of
// their "<hex>  <name>\n" lines (sha256sum's format) in the order read.
func combinedHash(files []*csvFile) string {
	if len(files) == 1 {
		return files[0].sum
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s  %s\n", f.sum, f.name)
	}
	return hex.EncodeToString(h.Sum(nil))
}
