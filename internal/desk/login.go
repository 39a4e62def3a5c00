package desk

import (
	"errors"
	"net/http"

	"tipline/internal/account"
)

type loginPage struct {
	Session *account.Session
	Name    string
	Problem string
}

// loginForm shows the login form.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := loginPage{}
	if r.URL.Query().Get("out") != "" {
		p.Problem = "You are logged out."
	}
	s.pages.Render(w, http.StatusOK, "login", p)
}

// login checks name, password and second-factor code, and starts a session
// whose key lives only in the cookie. Failures are slowed, never refused.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := r.PostFormValue("name")
	u, key, err := s.acct.Login(r.Context(), name, r.PostFormValue("password"), r.PostFormValue("code"))
	if errors.Is(err, account.ErrMustEnrol) {
		value, err := s.acct.StartSession(r.Context(), u, key)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		setCookie(w, r, enrolCookie, value, 600)
		http.Redirect(w, r, "/account/enrol", http.StatusSeeOther)
		return
	}
	if err != nil {
		if errors.Is(err, account.ErrBadLogin) {
			s.audit.Record(r.Context(), auditEvent("anonymous", "login.fail", "", "name="+name))
			s.pages.Render(w, http.StatusUnauthorized, "login", loginPage{Name: name, Problem: "The name, password or code is wrong."})
			return
		}
		s.fail(w, r, err)
		return
	}
	value, err := s.acct.StartSession(r.Context(), u, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.audit.Record(r.Context(), auditEvent(u.Holder(), "login.ok", "", "")); err != nil {
		s.fail(w, r, err)
		return
	}
	setCookie(w, r, sessionCookie, value, int(account.SessionTTL.Seconds()))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	if err := s.store.EndDeskSessions(r.Context(), sess.User.ID, sess.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.record(r.Context(), sess, "logout", "", "")
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login?out=1", http.StatusSeeOther)
}

// home sends each role where its work is.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := sessionOf(r).User
	switch {
	case u.Has("analyst") || u.Has("committee"):
		http.Redirect(w, r, "/tips", http.StatusSeeOther)
	case u.Has("admin"):
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/audit", http.StatusSeeOther)
	}
}
