package desk

import (
	"fmt"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

type usersPage struct {
	Session     *account.Session
	Users       []tip.User
	Invitations []store.Invitation
	Roles       []tip.Role
}

// users lists the desk's users and open invitations for an admin.
func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	invitations, err := s.store.Invitations(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "users", usersPage{Session: sessionOf(r), Users: users, Invitations: invitations, Roles: tip.Roles})
}

// userAction runs an admin action on a user and audits it.
func (s *Server) userAction(action string, do func(r *http.Request, id string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if _, err := s.store.User(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
		ctx, err := s.audited(r.Context(), sessionOf(r), action, "", "user "+tip.HolderOf(id))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := do(r.WithContext(ctx), id); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	}
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) {
	s.userAction("user.disable", func(r *http.Request, id string) error { return s.store.SetUserDisabled(r.Context(), id, true) })(w, r)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) {
	s.userAction("user.enable", func(r *http.Request, id string) error { return s.store.SetUserDisabled(r.Context(), id, false) })(w, r)
}

// resetTOTP resets a user's second factor and shows the admin, once, the
// enrolment code the user needs with their password to enrol a new one.
func (s *Server) resetTOTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, err := s.audited(r.Context(), sessionOf(r), "user.reset_totp", "", "user "+u.Holder()+"; enrolment code issued, good for "+account.EnrolCodeTTL.String())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, err := s.acct.ResetSecondFactor(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "enrol_code", enrolCodePage{Session: sessionOf(r), Name: u.Name, Code: code,
		Expires: fmt.Sprintf("%d hours", int(account.EnrolCodeTTL.Hours()))})
}

// enrolCodePage shows an enrolment code once: after a reset of a user's
// second factor or passphrase, or for a user invited on the desk.
type enrolCodePage struct {
	Session    *account.Session
	Name       string
	Invited    bool
	Passphrase bool
	Code       string
	Expires    string
}

func (s *Server) endSessions(w http.ResponseWriter, r *http.Request) {
	s.userAction("user.end_sessions", func(r *http.Request, id string) error { return s.store.EndDeskSessions(r.Context(), id, "") })(w, r)
}
