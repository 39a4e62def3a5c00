package listfmt

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// htmlCell is the text of one table cell, its paragraphs joined by a space
// (Word breaks "Song Phyong 7" over two <p> when the column is narrow).
type htmlCell struct{ s string }

func (c htmlCell) text() string { return c.s }

// htmlDoc is what the vessels parser needs from a document: its title and
// the rows of all its tables, in order.
type htmlDoc struct {
	title    string
	rows     [][]htmlCell
	complete bool // </html> was seen, so the document is whole
}

// readHTMLTables tokenises an HTML document (a real tokenizer, so that
// entities, comments and attribute quoting are handled as browsers do) and
// collects table cells.
func readHTMLTables(r io.Reader) (*htmlDoc, error) {
	z := html.NewTokenizer(r)
	doc := &htmlDoc{}
	var (
		row     []htmlCell
		inRow   bool
		cell    strings.Builder
		inCell  bool
		inTitle bool
	)
	endCell := func() {
		if inCell {
			row = append(row, htmlCell{clean(cell.String())})
			cell.Reset()
			inCell = false
		}
	}
	endRow := func() {
		endCell()
		if inRow && len(row) > 0 {
			doc.rows = append(doc.rows, row)
		}
		row, inRow = nil, false
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				endRow()
				return doc, nil
			}
			return nil, z.Err()
		case html.TextToken:
			switch {
			case inCell:
				cell.Write(z.Text())
			case inTitle:
				doc.title += string(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "tr":
				endRow()
				inRow = true
			case "td", "th":
				endCell()
				inCell = true
			case "p", "br", "div", "li":
				if inCell {
					cell.WriteByte(' ')
				}
			case "title":
				inTitle = tt == html.StartTagToken
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "td", "th":
				endCell()
			case "tr", "table":
				endRow()
			case "title":
				inTitle = false
			case "html":
				doc.complete = true
			}
		}
	}
}
