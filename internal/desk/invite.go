package desk

import (
	"fmt"
	"net/http"
	"strings"

	"tipline/internal/account"
	"tipline/internal/tip"
)

// invite adds a desk user without a shell: an invitation with a name and
// roles, and a one-time enrolment code shown to the admin once. The invited
// person chooses their own passphrase when they first log in with it.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The form could not be read."))
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	var roles []tip.Role
	for _, role := range r.PostForm["role"] {
		roles = append(roles, tip.Role(role))
	}
	if err := tip.ValidateUser(name, roles); err != nil {
		s.fail(w, r, err)
		return
	}
	id := tip.NewID()
	ctx, err := s.audited(r.Context(), sessionOf(r), "user.invite", "", fmt.Sprintf("user %s named %s roles %s; enrolment code issued", tip.HolderOf(id), name, rolesText(roles)))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, err := s.acct.Invite(ctx, id, name, roles)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "enrol_code", enrolCodePage{Session: sessionOf(r), Name: name, Invited: true, Code: code,
		Expires: fmt.Sprintf("%d hours", int(account.EnrolCodeTTL.Hours()))})
}

// withdrawInvitation deletes an invitation not yet used.
func (s *Server) withdrawInvitation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, err := s.audited(r.Context(), sessionOf(r), "user.invite.withdraw", "", "user "+tip.HolderOf(id))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.WithdrawInvitation(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func rolesText(roles []tip.Role) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}
