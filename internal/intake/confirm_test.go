package intake

import (
	"net/http/httptest"
	"testing"

	"tipline/internal/web"
)

// The confirmation page served from its pre-rendered parts is, byte for byte,
// the page html/template renders, in every language.
func TestPrerenderedConfirmationIsTheRenderedPage(t *testing.T) {
	pages, err := web.ParseTemplates(web.SourceTemplates)
	if err != nil {
		t.Fatal(err)
	}
	catalogs, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{pages: pages, catalogs: catalogs}
	if s.confirm, err = s.prepareConfirmPages(); err != nil {
		t.Fatal(err)
	}
	for _, l := range web.Languages {
		receipt := "abacus abdomen <b>abdominal</b> & abide"
		fast := httptest.NewRecorder()
		s.renderConfirm(fast, l.Code, receipt, nil)
		slow := httptest.NewRecorder()
		pages.Render(slow, 200, "confirm", s.confirmData(l.Code, receipt, nil))
		if fast.Body.String() != slow.Body.String() {
			t.Fatalf("%s: the pre-rendered page differs from the rendered one:\n%s\n---\n%s", l.Code, fast.Body, slow.Body)
		}
		if fast.Code != 200 || fast.Header().Get("Content-Type") != slow.Header().Get("Content-Type") {
			t.Fatalf("%s: status %d, type %q", l.Code, fast.Code, fast.Header().Get("Content-Type"))
		}
	}
}
