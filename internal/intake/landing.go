package intake

import (
	"net/http"
	"time"

	"tipline/internal/tip"
)

// landing shows what the programme rewards, how to stay safe, and the active
// offers.
func (s *Server) landing(w http.ResponseWriter, r *http.Request, lang string) {
	offers, err := s.store.Offers(r.Context())
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	var active []offerView
	categories := tip.DPRKCategories
	for _, o := range offers {
		if o.Active(time.Now()) {
			active = append(active, viewOffer(o, lang))
		}
		if o.IsDefault {
			categories = o.Categories
		}
	}
	s.pages.Render(w, http.StatusOK, "landing", struct {
		page
		Offers     []offerView
		Categories []tip.Category
	}{s.page(lang), active, categories})
}
