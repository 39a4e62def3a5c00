package intake

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"html/template"
	"net/http"

	"tipline/internal/tip"
	"tipline/internal/web"
)

// confirmPages is the confirmation page of a report without files, rendered
// once per language at start-up around a marker where the receipt goes.
// Rendering it per report through html/template cost as much CPU as
// committing the report; the only thing that differs between two such pages
// is the receipt, and a test holds the two ways to the same bytes.
type confirmPages struct {
	parts map[string][2][]byte // language -> the page before and after the receipt
}

func (s *Server) prepareConfirmPages() (*confirmPages, error) {
	// A random marker: nothing in a template or a catalog can contain it.
	marker := fmt.Sprintf("receipt-%s", rand.Text())
	c := &confirmPages{parts: map[string][2][]byte{}}
	for _, l := range web.Languages {
		page, err := s.pages.Execute("confirm", s.confirmData(l.Code, marker, nil))
		if err != nil {
			return nil, err
		}
		before, after, found := bytes.Cut(page, []byte(marker))
		if !found || bytes.Contains(after, []byte(marker)) {
			return nil, fmt.Errorf("the confirmation page in %s must show the receipt exactly once", l.Code)
		}
		c.parts[l.Code] = [2][]byte{before, after}
	}
	return c, nil
}

func (s *Server) confirmData(lang, receipt string, files []tip.File) any {
	return struct {
		page
		Receipt string
		Files   []tip.File
	}{s.page(lang), receipt, files}
}

// renderConfirm shows the receipt of a report just committed.
func (s *Server) renderConfirm(w http.ResponseWriter, lang, receipt string, files []tip.File) {
	parts, ok := s.confirm.parts[lang]
	if len(files) > 0 || !ok {
		s.pages.Render(w, http.StatusOK, "confirm", s.confirmData(lang, receipt, files))
		return
	}
	web.WriteHTML(w, http.StatusOK, parts[0], []byte(template.HTMLEscapeString(receipt)), parts[1])
}
