package desk

import (
	"net/http"
	"strconv"

	"tipline/internal/tip"
)

// assign sets a report's assignee ("me", a user id, or "" for nobody) and
// priority.
func (s *Server) assign(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	if _, _, err := s.openTip(ctx, sess, id); err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	assignee := r.PostFormValue("assignee")
	if assignee == "me" {
		assignee = sess.User.ID
	}
	if assignee != "" {
		if _, err := s.store.WrappedKey(ctx, id, tip.HolderOf(assignee)); err != nil {
			s.fail(w, r, tip.Errorf(tip.CodeInvalid, "That user cannot open this report: grant it to them first."))
			return
		}
	}
	detail := "assignee " + assignee
	var priority *int
	if p := r.PostFormValue("priority"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 9 {
			s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Priority is a number from 0 to 9."))
			return
		}
		priority = &n
		detail += ", priority " + p
	}
	ctx, err := s.audited(ctx, sess, "tip.assign", id, detail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.Assign(ctx, id, assignee, priority); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
