package listfmt

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"tipline/internal/screen"
)

// Format is one of the list formats this package reads.
type Format string

const (
	FormatUN        Format = "un-xml"          // UN Security Council Consolidated List XML
	FormatOFACCSV   Format = "ofac-csv"        // OFAC legacy CSV: sdn.csv, or a folder holding the set
	FormatOFACXML   Format = "ofac-xml"        // OFAC sdnList XML
	FormatUNVessels Format = "un-vessels-html" // UN 1718 Committee Designated Vessels List
)

// The names of the OFAC legacy CSV files, as OFAC publishes them.
const (
	ofacSDN      = "sdn.csv"
	ofacAlt      = "alt.csv"
	ofacAdd      = "add.csv"
	ofacComments = "sdn_comments.csv"
)

// sniffSize is how much of a file Detect reads: enough for an XML prolog,
// the root element and an HTML title.
const sniffSize = 8 << 10

var (
	xmlRoot     = regexp.MustCompile(`<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]`)
	sdnCSVStart = regexp.MustCompile(`^\d+,("[^"]*"|-0- ?),("[^"]*"|-0- ?),`)
	altCSVStart = regexp.MustCompile(`^\d+,\d+,`)
)

// Detect recognises a list file from its content, not its name. A folder
// counts as one OFAC CSV set if it holds sdn.csv.
func Detect(path string) (Format, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		if !hasFileFold(path, ofacSDN) {
			return "", fmt.Errorf("%s: %w: a folder must hold the OFAC CSV set (sdn.csv and, optionally, alt.csv, add.csv, sdn_comments.csv)", path, ErrUnknownFormat)
		}
		return FormatOFACCSV, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	format, err := sniff(head[:n])
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return format, nil
}

// sniff recognises a format from the first bytes of a file.
func sniff(head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	trimmed := bytes.TrimSpace(head)
	if bytes.HasPrefix(trimmed, []byte("<")) {
		lower := bytes.ToLower(trimmed)
		if bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
			if bytes.Contains(lower, []byte("designated vessels")) {
				return FormatUNVessels, nil
			}
			return "", fmt.Errorf("%w: an HTML document that is not the 1718 Designated Vessels List", ErrUnknownFormat)
		}
		for _, m := range xmlRoot.FindAllSubmatch(trimmed, -1) {
			switch string(m[2]) {
			case "xml", "DOCTYPE":
				continue
			case "CONSOLIDATED_LIST":
				return FormatUN, nil
			case "sdnList":
				return FormatOFACXML, nil
			case "Sanctions":
				return "", fmt.Errorf("%w: OFAC's advanced XML is not supported; import sdn.xml or the CSV set", ErrUnknownFormat)
			default:
				return "", fmt.Errorf("%w: XML with root element %s", ErrUnknownFormat, m[2])
			}
		}
		return "", fmt.Errorf("%w: no root element in the first %d bytes", ErrUnknownFormat, len(head))
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	switch {
	case sdnCSVStart.Match(first):
		return FormatOFACCSV, nil
	case altCSVStart.Match(first):
		return "", fmt.Errorf("%w: this looks like alt.csv, add.csv or sdn_comments.csv; import the folder that holds sdn.csv", ErrUnknownFormat)
	}
	return "", ErrUnknownFormat
}

// ParseFile detects the format of path and parses it. For a folder, the
// OFAC CSV set is read from sdn.csv and whichever of alt.csv, add.csv and
// sdn_comments.csv are present. The list's SHA256 is that of the bytes read.
func ParseFile(path string) (*screen.List, error) {
	format, err := Detect(path)
	if err != nil {
		return nil, err
	}
	if format == FormatOFACCSV {
		return parseOFACPath(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list *screen.List
	switch format {
	case FormatUN:
		list, err = ParseUN(f)
	case FormatOFACXML:
		list, err = ParseOFACXML(f)
	case FormatUNVessels:
		list, err = ParseUNVessels(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return list, nil
}

// parseOFACPath parses sdn.csv alone, or the set in a folder. File names
// are matched without regard to case: OFAC's own documentation writes them
// in capitals (SDN.CSV) while its website serves them in lower case.
func parseOFACPath(path string) (*screen.List, error) {
	files := map[string]string{} // lower-case name → path
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		files[ofacSDN] = path
	} else {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				files[strings.ToLower(e.Name())] = filepath.Join(path, e.Name())
			}
		}
	}
	var readers [4]io.Reader
	for i, name := range []string{ofacSDN, ofacAlt, ofacAdd, ofacComments} {
		p, ok := files[name]
		if !ok {
			if i == 0 {
				return nil, fmt.Errorf("%s: no %s: %w", path, name, fs.ErrNotExist)
			}
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		readers[i] = f
	}
	list, err := ParseOFACCSV(readers[0], readers[1], readers[2], readers[3])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return list, nil
}

// hasFileFold reports whether dir holds a file called name, in any case.
func hasFileFold(dir, name string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(e.Name(), name) {
			return true
		}
	}
	return false
}
