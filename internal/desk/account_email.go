package desk

import (
	"net/http"
	"strings"

	"tipline/internal/tip"
)

// setEmail sets or clears where the user's notifications go.
func (s *Server) setEmail(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := tip.ValidateEmail(email); err != nil {
		s.fail(w, r, err)
		return
	}
	detail := "notifications off"
	if email != "" {
		detail = "notifications on"
	}
	ctx, err := s.audited(r.Context(), sess, "account.email", "", detail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetEmail(ctx, sess.User.ID, email); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
