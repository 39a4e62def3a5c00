package intake

import "net/http"

// statusLogout ends the session; the receipt keeps working.
func (s *Server) statusLogout(w http.ResponseWriter, r *http.Request, lang string) {
	if _, _, id, err := s.session(r); err == nil {
		if err := s.store.DeleteSourceSession(r.Context(), id); err != nil {
			s.fail(w, lang, err)
			return
		}
	}
	clearSession(w)
	http.Redirect(w, r, s.catalogs.For(lang).Path("/"), http.StatusSeeOther)
}
