package desk

import (
	"net/http"
	"strings"

	"tipline/internal/account"
	"tipline/internal/tip"
)

// grant wraps the report's key, opened in the analyst's session, to another
// analyst named in the form. An admin cannot do this: they open nothing. A
// committee member is never granted a report: they read what a
// recommendation shares with them.
func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := strings.TrimSpace(r.PostFormValue("to"))
	to, _, err := s.store.UserByName(ctx, name)
	if tip.ErrorCode(err) == tip.CodeNotFound {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "No user is named %q: give the name of an enabled analyst.", name))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := account.CheckGrantee(to); err != nil {
		s.fail(w, r, err)
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
