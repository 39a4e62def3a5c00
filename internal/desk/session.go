package desk

import (
	"net/http"

	"tipline/internal/account"
	"tipline/internal/tip"
)

const (
	sessionCookie = "tipline_desk"
	// enrolCookie carries a session that may only enrol a new second factor.
	enrolCookie = "tipline_enrol"
)

func (s *Server) session(r *http.Request) (*account.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	sess, err := s.acct.Session(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// setCookie sets one of the desk's cookies: never readable by script, never
// sent from another site, and Secure whenever the desk is reached over TLS
// (directly, or through a proxy: Config.SecureCookies).
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || s.cfg.SecureCookies,
	})
}
