package intake

import (
	"errors"
	"net/http"

	"tipline/internal/store"
)

// statusLogout ends the session; the receipt keeps working.
func (s *Server) statusLogout(w http.ResponseWriter, r *http.Request, lang string) {
	_, _, id, err := s.session(r)
	if errors.Is(store.Classify(err), store.ErrUnavailable) {
		// The session would outlive a logout that cleared only the cookie.
		s.fail(w, lang, err)
		return
	}
	if err == nil {
		if err := s.store.DeleteSourceSession(r.Context(), id); err != nil {
			s.fail(w, lang, err)
			return
		}
	}
	clearSession(w)
	http.Redirect(w, r, s.catalogs.For(lang).Path("/"), http.StatusSeeOther)
}
