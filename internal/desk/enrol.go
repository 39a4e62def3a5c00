package desk

import (
	"net/http"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/auth"
	"tipline/internal/tip"
)

// enrolSession returns the session of a user who logged in with their
// password and enrolment code and must enrol a new second factor; it opens
// nothing else, and never becomes a desk session.
func (s *Server) enrolSession(r *http.Request) (*account.Session, error) {
	c, err := r.Cookie(enrolCookie)
	if err != nil {
		return nil, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	sess, err := s.acct.EnrolSession(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// enrolForm shows the QR code of the new second factor and asks for the
// enrolment code again and a first code.
func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) {
	sess, err := s.enrolSession(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "enrol", enrolPage{NewPassphrase: sess.User.AwaitsPassphrase()})
}

// enrolPage is the enrolment form; after a passphrase reset it asks for
// the new passphrase too.
type enrolPage struct {
	Session       *account.Session
	NewPassphrase bool
	Problem       string
}

// enrolQR renders the new second factor's QR code on the server: no
// JavaScript, no third party.
func (s *Server) enrolQR(w http.ResponseWriter, r *http.Request) {
	sess, err := s.enrolSession(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uri, err := s.acct.Enrolment(r.Context(), *sess)
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

// enrol checks the enrolment code and a first code of the new factor, puts
// the factor in use, spends the enrolment code and starts a new desk
// session, with a new cookie value.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	sess, err := s.enrolSession(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	actor := sess.User.Holder()
	newPassphrase := sess.User.AwaitsPassphrase()
	done := audit.Event{Actor: actor, Action: "totp.enrolled", Detail: "enrolment code spent"}
	if newPassphrase {
		done = audit.Event{Actor: actor, Action: "user.passphrase_chosen", Detail: "new passphrase and key pair, second factor enrolled, enrolment code spent"}
	}
	ctx, err := s.audit.Attach(r.Context(), done, audit.Event{Actor: actor, Action: "login.ok", Detail: "after enrolment"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var value string
	if newPassphrase {
		value, err = s.acct.ChoosePassphrase(ctx, *sess, r.PostFormValue("enrol_code"), r.PostFormValue("passphrase"), r.PostFormValue("passphrase_again"), r.PostFormValue("code"))
	} else {
		value, err = s.acct.ConfirmEnrolment(ctx, *sess, r.PostFormValue("enrol_code"), r.PostFormValue("code"))
	}
	switch {
	case err == account.ErrBadLogin:
		if err := s.record(r.Context(), sess, "login.fail", "", "enrolment: wrong enrolment code or first code"); err != nil {
			s.fail(w, r, err)
			return
		}
		s.pages.Render(w, http.StatusUnauthorized, "enrol", enrolPage{NewPassphrase: newPassphrase, Problem: "The enrolment code or the code from your app is wrong: try the next code."})
		return
	case newPassphrase && tip.ErrorCode(err) == tip.CodeInvalid:
		s.pages.Render(w, http.StatusBadRequest, "enrol", enrolPage{NewPassphrase: true, Problem: tip.ErrorMessage(err)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, enrolCookie, "", -1)
	s.setCookie(w, r, sessionCookie, value, int(account.SessionTTL.Seconds()))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
