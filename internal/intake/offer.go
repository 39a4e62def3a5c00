package intake

import "net/http"

// offer shows one reward offer with its own submission link.
func (s *Server) offer(w http.ResponseWriter, r *http.Request, lang string) {
	o, err := s.store.Offer(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "offer", struct {
		page
		Offer offerView
	}{s.page(lang), viewOffer(o, lang)})
}
