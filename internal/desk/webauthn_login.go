package desk

import (
	"errors"
	"net/http"

	"tipline/internal/account"
)

// keyLoginForm asks for the name and password, the first half of a login
// with a security key instead of the TOTP code.
func (s *Server) keyLoginForm(w http.ResponseWriter, r *http.Request) {
	_, rpErr := s.relyingParty(r)
	webauthnHeaders(w)
	s.pages.Render(w, http.StatusOK, "webauthn_login", webauthnPage{Enabled: rpErr == nil})
}

// keyLogin checks the name and password and, for a user with a security
// key, starts a pending login and shows the page that asks the key. A user
// without one is sent back to the code. Failures are slowed, never refused.
func (s *Server) keyLogin(w http.ResponseWriter, r *http.Request) {
	webauthnHeaders(w)
	if _, err := s.relyingParty(r); err != nil {
		s.pages.Render(w, http.StatusNotFound, "webauthn_login", webauthnPage{})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	again := func(status int, problem string) {
		s.pages.Render(w, status, "webauthn_login", webauthnPage{Enabled: true, Name: name, Problem: problem})
	}
	if name == "" || password == "" {
		again(http.StatusBadRequest, "Enter your name and password.")
		return
	}
	// A wrong password, no security key and a second factor still to enrol
	// get one answer: this step must not tell whether the password was right.
	u, key, err := s.acct.CheckPassword(r.Context(), name, password)
	switch {
	case errors.Is(err, account.ErrBadLogin):
		if err := s.recordLoginFailure(r.Context(), name, "webauthn"); err != nil {
			s.fail(w, r, err)
			return
		}
		again(http.StatusUnauthorized, "The name or password is wrong, or you have no security key: log in with the code from your authenticator app.")
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if err := s.record(r.Context(), &account.Session{User: u}, "login.password", "", "password right; security key asked"); err != nil {
		s.fail(w, r, err)
		return
	}
	value, err := s.acct.StartKeyLogin(r.Context(), u, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, pendingKeyCookie, value, int(account.KeyCeremonyTTL.Seconds()))
	s.pages.Render(w, http.StatusOK, "webauthn_login", webauthnPage{Enabled: true, Name: u.Name, Pending: true})
}

// keyLoginBegin answers the script with the options for
// navigator.credentials.get, for the pending login's user.
func (s *Server) keyLoginBegin(w http.ResponseWriter, r *http.Request) {
	rp, err := s.relyingParty(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	c, err := r.Cookie(pendingKeyCookie)
	if err != nil {
		s.failJSON(w, r, account.ErrBadKey)
		return
	}
	options, err := s.acct.BeginKeyLogin(r.Context(), rp, c.Value)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, options)
}

// keyLoginFinish checks the security key's answer and turns the pending
// login into a desk session.
func (s *Server) keyLoginFinish(w http.ResponseWriter, r *http.Request) {
	rp, err := s.relyingParty(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	c, err := r.Cookie(pendingKeyCookie)
	if err != nil {
		s.failJSON(w, r, account.ErrBadKey)
		return
	}
	body, err := readJSON(w, r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	pendingUser, pendingErr := s.acct.PendingKeyLogin(r.Context(), c.Value)
	u, key, used, err := s.acct.FinishKeyLogin(r.Context(), rp, c.Value, body)
	if err != nil {
		if account.IsKeyRefusal(err) && pendingErr == nil {
			if err := s.record(r.Context(), &account.Session{User: pendingUser}, "login.fail", "", "security key refused method=webauthn"); err != nil {
				s.failJSON(w, r, err)
				return
			}
		}
		s.failJSON(w, r, err)
		return
	}
	ctx, err := s.audited(r.Context(), &account.Session{User: u}, "login.ok", "", "method=webauthn key="+used.ID)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	value, err := s.acct.StartSession(ctx, u, key)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	s.setCookie(w, r, pendingKeyCookie, "", -1)
	s.setCookie(w, r, sessionCookie, value, int(account.SessionTTL.Seconds()))
	writeJSON(w, http.StatusOK, map[string]string{"next": "/"})
}
