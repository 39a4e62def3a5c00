package intake

import (
	"net/http"

	"tipline/internal/tip"
)

// statusEnd ends the receipt's access for good, at the source's request.
func (s *Server) statusEnd(w http.ResponseWriter, r *http.Request, lang string) {
	t, _, _, err := s.session(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := readSmallForm(w, r); err != nil {
		s.fail(w, lang, err)
		return
	}
	if r.PostForm.Get("confirm") == "" {
		s.fail(w, lang, tip.Errorf(tip.CodeInvalid, "not confirmed"))
		return
	}
	if err := s.store.EndReceiptAccess(r.Context(), t.ID); err != nil {
		s.fail(w, lang, err)
		return
	}
	clearSession(w)
	l := s.catalogs.For(lang)
	s.pages.Render(w, http.StatusOK, "message", struct {
		page
		Title, Text, Back string
		Good              bool
	}{s.page(lang), l.T("status_ended_title"), l.T("status_ended_text"), "/", true})
}
