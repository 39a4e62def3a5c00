package desk

import (
	"net/http"

	"tipline/internal/account"
	"tipline/internal/auth"
	"tipline/internal/tip"
)

// enrolSession returns the session of a user who must enrol a new second
// factor; it opens nothing else.
func (s *Server) enrolSession(r *http.Request) (*account.Session, error) {
	c, err := r.Cookie(enrolCookie)
	if err != nil {
		return nil, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	sess, err := s.acct.Session(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// enrolForm shows the QR code of the new second factor and asks for a code.
func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.enrolSession(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "enrol", loginPage{})
}

// enrolQR renders the new second factor's QR code on the server: no
// JavaScript, no third party.
func (s *Server) enrolQR(w http.ResponseWriter, r *http.Request) {
	sess, err := s.enrolSession(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uri, err := s.acct.Enrolment(r.Context(), sess.User, sess.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	png, err := auth.QRCodePNG(uri, 256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// enrol checks the first code and turns the enrolment session into a login.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	sess, err := s.enrolSession(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := s.acct.ConfirmEnrolment(r.Context(), sess.User, sess.Key, r.PostFormValue("code")); err != nil {
		if err == account.ErrBadLogin {
			s.pages.Render(w, http.StatusUnauthorized, "enrol", loginPage{Problem: "That code is wrong: try the next one."})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.record(r.Context(), sess, "totp.enrolled", "", "")
	setCookie(w, r, enrolCookie, "", -1)
	c, _ := r.Cookie(enrolCookie)
	setCookie(w, r, sessionCookie, c.Value, int(account.SessionTTL.Seconds()))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
