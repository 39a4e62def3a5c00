package desk

import (
	"net/http"

	"tipline/internal/tip"
)

// grant wraps the report's key, opened in the analyst's session, to another
// user named in the form. An admin cannot do this: they open nothing.
func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	to, _, err := s.store.UserByName(ctx, r.PostFormValue("to"))
	if err != nil || to.Disabled || !(to.Has(tip.RoleAnalyst) || to.Has(tip.RoleCommittee)) {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "No enabled analyst or committee member by that name."))
		return
	}
	ctx, err = s.audited(ctx, sess, "grant", id, "to "+to.Holder())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.acct.Grant(ctx, id, key, to); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
