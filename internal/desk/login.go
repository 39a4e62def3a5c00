package desk

import (
	"context"
	"errors"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/tip"
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

// badLogin is the one answer to every failed login, whatever was wrong.
const badLogin = "The name, password or code is wrong."

// login checks name, password and second-factor code — or, after a reset of
// the second factor, the enrolment code the admin gave — and starts a
// session whose key lives only in the cookie: a desk session, or one that
// may only enrol the new second factor. Failures are slowed, never refused.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c := account.Credentials{Name: r.PostFormValue("name"), Password: r.PostFormValue("password"),
		Code: r.PostFormValue("code"), EnrolCode: r.PostFormValue("enrol_code")}
	u, key, err := s.acct.Login(r.Context(), c)
	var invited *account.MustActivate
	var reset *account.MustChoosePassphrase
	switch {
	case errors.As(err, &invited):
		s.startActivation(w, r, invited)
		return
	case errors.As(err, &reset):
		s.startPassphraseEnrolment(w, r, reset.User)
		return
	case errors.Is(err, account.ErrMustEnrol):
		ctx, err := s.audited(r.Context(), &account.Session{User: u}, "login.enrol", "", "enrolment code used: enrolling a new second factor")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		value, err := s.acct.StartEnrolSession(ctx, u, key)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.setCookie(w, r, enrolCookie, value, int(account.EnrolSessionTTL.Seconds()))
		http.Redirect(w, r, "/account/enrol", http.StatusSeeOther)
		return
	case errors.Is(err, account.ErrBadLogin):
		if err := s.recordLoginFailure(r.Context(), c.Name, "password"); err != nil {
			s.fail(w, r, err)
			return
		}
		s.pages.Render(w, http.StatusUnauthorized, "login", loginPage{Name: c.Name, Problem: badLogin})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	ctx, err := s.audited(r.Context(), &account.Session{User: u}, "login.ok", "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	value, err := s.acct.StartSession(ctx, u, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, sessionCookie, value, int(account.SessionTTL.Seconds()))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// startActivation begins an invited person's activation: their key pair
// and second factor are made, held under a secret in their cookie.
func (s *Server) startActivation(w http.ResponseWriter, r *http.Request, invited *account.MustActivate) {
	inv := invited.Invitation
	ctx, err := s.audit.Attach(r.Context(), auditEvent(tip.HolderOf(inv.ID), "login.activate", "", "enrolment code used: setting up a new account"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	value, err := s.acct.StartActivation(ctx, inv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, activateCookie, value, int(account.ActivationTTL.Seconds()))
	http.Redirect(w, r, "/account/activate", http.StatusSeeOther)
}

// startPassphraseEnrolment begins the enrolment of a user whose passphrase
// was reset: their new key pair and second factor are made, the key held
// under a secret in their cookie, and the enrolment page asks for a new
// passphrase too.
func (s *Server) startPassphraseEnrolment(w http.ResponseWriter, r *http.Request, u tip.User) {
	ctx, err := s.audited(r.Context(), &account.Session{User: u}, "login.enrol", "", "enrolment code used: choosing a new passphrase and second factor")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	value, err := s.acct.StartPassphraseEnrolment(ctx, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, enrolCookie, value, int(account.EnrolSessionTTL.Seconds()))
	http.Redirect(w, r, "/account/enrol", http.StatusSeeOther)
}

// recordLoginFailure audits a failed login. The name typed is recorded only
// as the account it names, if any: a password typed into the name field
// must not reach the auditor's page.
func (s *Server) recordLoginFailure(ctx context.Context, name, method string) error {
	detail := "unknown name"
	if u, _, err := s.store.UserByName(ctx, name); err == nil {
		detail = u.Holder()
	}
	return s.audit.Record(ctx, auditEvent("anonymous", "login.fail", "", detail+" method="+method))
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	ctx, err := s.audited(r.Context(), sess, "logout", "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.EndDeskSessions(ctx, sess.User.ID, sess.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, sessionCookie, "", -1)
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
