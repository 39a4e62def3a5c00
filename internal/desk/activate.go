package desk

import (
	"errors"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/auth"
	"tipline/internal/tip"
)

// activateCookie carries an activation in progress: an invited person who
// logged in with their enrolment code and is choosing a passphrase and
// enrolling a second factor. It opens nothing else.
const activateCookie = "tipline_activate"

func (s *Server) activation(r *http.Request) (account.Activation, error) {
	c, err := r.Cookie(activateCookie)
	if err != nil {
		return account.Activation{}, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	return s.acct.OpenActivation(r.Context(), c.Value)
}

type activatePage struct {
	Session *account.Session
	Name    string
	Problem string
}

// activateForm asks an invited person for their new passphrase, shows the
// new second factor's QR code, and asks for the enrolment code again and a
// first code.
func (s *Server) activateForm(w http.ResponseWriter, r *http.Request) {
	act, err := s.activation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "activate", activatePage{Name: act.Invitation.Name})
}

// activateQR renders the new second factor's QR code on the server.
func (s *Server) activateQR(w http.ResponseWriter, r *http.Request) {
	act, err := s.activation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	png, err := auth.QRCodePNG(act.TOTPURI(), 256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// activate makes the invited person a desk user and logs them in.
func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	act, err := s.activation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	actor := tip.HolderOf(act.Invitation.ID)
	ctx, err := s.audit.Attach(r.Context(),
		audit.Event{Actor: actor, Action: "user.activate", Detail: "passphrase chosen, second factor enrolled, enrolment code spent"},
		audit.Event{Actor: actor, Action: "login.ok", Detail: "after activation"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, value, err := s.acct.Activate(ctx, act, r.PostFormValue("enrol_code"), r.PostFormValue("passphrase"), r.PostFormValue("passphrase_again"), r.PostFormValue("code"))
	switch {
	case errors.Is(err, account.ErrBadLogin):
		if err := s.audit.Record(r.Context(), audit.Event{Actor: actor, Action: "login.fail", Detail: "activation: wrong enrolment code or first code"}); err != nil {
			s.fail(w, r, err)
			return
		}
		s.pages.Render(w, http.StatusUnauthorized, "activate", activatePage{Name: act.Invitation.Name, Problem: "The enrolment code or the code from your app is wrong: try the next code."})
		return
	case tip.ErrorCode(err) == tip.CodeInvalid:
		s.pages.Render(w, http.StatusBadRequest, "activate", activatePage{Name: act.Invitation.Name, Problem: tip.ErrorMessage(err)})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, r, activateCookie, "", -1)
	s.setCookie(w, r, sessionCookie, value, int(account.SessionTTL.Seconds()))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
