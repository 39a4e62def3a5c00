package listfmt

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tipline/internal/screen"
)

const unVesselsFormat = "un vessels html"

// The 1718 Committee publishes its vessels as a Word document saved as
// HTML: one table per page, each ship spread over several rows whose cell
// layout (row spans, where the serial number sits) changes from page to
// page. So the parser does not rebuild the grid; it reads rows of cells in
// order and recognises a ship by its content:
//
//	row starting a ship:  "1: Blue Nouvelle 2: Greenlight 3: Chong Bong" | "8909575 MMSI: 1: 529734000 ..." | "21-Jun-17" | ...
//	rows that follow:     "Flag" | "1. Kiribati 2: Cambodia ..."   "Call Sign" | "1: T3NM2 2: XUJX6"   "Other information" | "..."
//
// and checks what it found against the document's own numbering (1 to 59).

var (
	vesselIMOCell   = regexp.MustCompile(`^(\d{7}\b|(?i:does not exist))`)
	vesselMMSI      = regexp.MustCompile(`\b\d{9}\b`)
	vesselDate      = regexp.MustCompile(`^\d{1,2}-[A-Z][a-z]{2}-\d{2}$`)
	vesselSerial    = regexp.MustCompile(`^\d{1,3}$`)
	vesselTitleDate = regexp.MustCompile(`\b(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b`)
)

// ParseUNVessels reads the UN 1718 Committee's "Designated Vessels List"
// document. Every vessel becomes an entry with ID its IMO number (or, for
// the one ship the list says has none, its first name upper-cased with
// hyphens for spaces); the first of its numbered names is the primary name
// and the others aliases; MMSI numbers and call signs, current and former,
// are identifiers; flags go to Vessel.Flags. The publication date is read
// from the document title ("... 4 June 2020.docx") and left zero if absent.
func ParseUNVessels(r io.Reader) (*screen.List, error) {
	hr := newHashingReader(r)
	doc, err := readHTMLTables(hr)
	if err != nil {
		return nil, &ParseError{Format: unVesselsFormat, Where: fmt.Sprintf("byte %d", hr.n), Err: err}
	}
	list := &screen.List{Source: screen.SourceUNVessels}
	if m := vesselTitleDate.FindString(doc.title); m != "" {
		list.Published, _ = time.Parse("2 January 2006", m)
	}
	var serials []int
	var cur *screen.Entry
	for ri, row := range doc.rows {
		where := fmt.Sprintf("table row %d", ri+1)
		for _, c := range row {
			if vesselSerial.MatchString(c.text()) {
				n, _ := strconv.Atoi(c.text())
				serials = append(serials, n)
			}
		}
		if e, ok, err := vesselStart(row); err != nil {
			return nil, &ParseError{Format: unVesselsFormat, Where: where, Err: err}
		} else if ok {
			list.Entries = append(list.Entries, e)
			cur = &list.Entries[len(list.Entries)-1]
			continue
		}
		if cur != nil {
			vesselDetails(cur, row)
		}
	}
	if !doc.complete {
		return nil, &ParseError{Format: unVesselsFormat, Where: fmt.Sprintf("byte %d", hr.n),
			Err: truncated("the document ends before </html>")}
	}
	if err := checkSerials(serials, len(list.Entries)); err != nil {
		return nil, &ParseError{Format: unVesselsFormat, Err: err}
	}
	return finishList(unVesselsFormat, list, hr)
}

// checkSerials compares the ships found with the document's numbering, so
// that a layout we misread is refused rather than half imported.
func checkSerials(serials []int, found int) error {
	seen := make(map[int]bool)
	for _, n := range serials {
		if n >= 1 && n <= found+1 {
			seen[n] = true
		}
	}
	for n := 1; n <= found; n++ {
		if !seen[n] {
			return fmt.Errorf("%w: found %d vessels but no vessel number %d", ErrImplausible, found, n)
		}
	}
	if seen[found+1] {
		return fmt.Errorf("%w: the document numbers a vessel %d but only %d were recognised", ErrImplausible, found+1, found)
	}
	return nil
}

// vesselStart recognises the first row of a ship: a cell of numbered names
// followed by the IMO cell.
func vesselStart(row []htmlCell) (screen.Entry, bool, error) {
	for i := 0; i+1 < len(row); i++ {
		names := row[i].text()
		if !strings.HasPrefix(names, "1:") || !vesselIMOCell.MatchString(row[i+1].text()) {
			continue
		}
		e := screen.Entry{Source: screen.SourceUNVessels, Kind: screen.KindVessel, Vessel: &screen.Vessel{}, Programs: []string{"DPRK"}}
		for j, n := range splitNumbered(names, ":") {
			q := screen.NameAlias
			if j == 0 {
				q = screen.NamePrimary
			}
			addName(&e, n, q, false)
		}
		if len(e.Names) == 0 || e.Names[0].Quality != screen.NamePrimary {
			return e, false, fmt.Errorf("vessel without a name in %q", names)
		}
		imoCell := row[i+1].text()
		if imo := digits(imoCell[:min(7, len(imoCell))]); len(imo) == 7 {
			e.ID = imo
			addID(&e, screen.Identifier{Type: screen.IDIMO, Value: imo, Raw: "IMO " + imo})
		} else {
			e.ID = strings.ReplaceAll(strings.ToUpper(e.Names[0].Text), " ", "-")
		}
		if _, mmsi, ok := strings.Cut(imoCell, "MMSI"); ok {
			for _, m := range vesselMMSI.FindAllString(mmsi, -1) {
				addID(&e, screen.Identifier{Type: screen.IDMMSI, Value: m, Raw: "MMSI " + m})
			}
		}
		for _, c := range row[i+2:] {
			if t := c.text(); vesselDate.MatchString(t) {
				if d, err := time.Parse("02-Jan-06", t); err == nil {
					e.ListedOn = d.Format("2006-01-02")
				}
				break
			}
		}
		return e, true, nil
	}
	return screen.Entry{}, false, nil
}

// vesselDetails applies the "label | value" pairs of a ship's later rows.
func vesselDetails(e *screen.Entry, row []htmlCell) {
	for i := 0; i+1 < len(row); i++ {
		value := row[i+1].text()
		if value == "" || strings.EqualFold(value, "na") {
			continue
		}
		switch strings.ToLower(row[i].text()) {
		case "flag":
			for _, f := range splitNumbered(value, ":.") {
				e.Vessel.Flags = addUnique(e.Vessel.Flags, f)
			}
		case "call sign":
			for _, cs := range splitNumbered(value, ":") {
				addID(e, screen.Identifier{Type: screen.IDCallSign, Value: callSign(cs), Raw: clean(cs)})
			}
		case "type":
			e.Vessel.Type = value
		case "other information":
			e.Remarks = strings.TrimSpace(e.Remarks + " " + value)
		case "designated as economic resources of":
			e.Remarks = strings.TrimSpace(e.Remarks + " Designated as economic resources of " + value + ".")
		}
	}
}

// splitNumbered splits "1: Chong Chon Gang 2: Tong Hung San" into its items.
// Markers must come in order, which keeps a name such as "Hwang Gum San 2"
// whole in "1: Hwang Gum San 2 2: Hui Chon". seps lists the characters that
// may follow a number ("1." and "2:" are mixed in the flag column). Text
// without a leading "1" marker is one item.
func splitNumbered(s, seps string) []string {
	s = clean(s)
	if len(s) < 2 || s[0] != '1' || !strings.ContainsRune(seps, rune(s[1])) {
		return addUnique(nil, s)
	}
	var out []string
	pos := 2
	for k := 2; ; k++ {
		next, width := -1, 0
		for _, sep := range seps {
			marker := " " + strconv.Itoa(k) + string(sep)
			if i := strings.Index(s[pos:], marker); i >= 0 && (next < 0 || pos+i < next) {
				next, width = pos+i, len(marker)
			}
		}
		if next < 0 {
			return addUnique(out, s[pos:])
		}
		out = addUnique(out, s[pos:next])
		pos = next + width
	}
}
