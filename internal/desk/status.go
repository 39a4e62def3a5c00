package desk

import (
	"net/http"

	"tipline/internal/tip"
)

// setStatus changes a report's status; the source sees only its public state.
func (s *Server) setStatus(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	t, _, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	status := tip.Status(r.PostFormValue("status"))
	ctx, err = s.audited(ctx, sess, "tip.status", id, string(t.Status)+" -> "+string(status))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetStatus(ctx, id, status); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
