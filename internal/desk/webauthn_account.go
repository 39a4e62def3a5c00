package desk

import (
	"encoding/json"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

type webauthnPage struct {
	Session *account.Session
	Enabled bool // a relying party is configured for this desk
	Keys    []store.WebAuthnCredential
	Name    string
	Problem string
	Pending bool // the password was right: the security key is next
}

// accountPage lists the user's security keys, each with a button to remove
// it, and offers to register another (which needs JavaScript).
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	keys, err := s.acct.SecurityKeys(r.Context(), sess.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, rpErr := s.relyingParty(r)
	webauthnHeaders(w)
	s.pages.Render(w, http.StatusOK, "webauthn_account", webauthnPage{Session: sess, Enabled: rpErr == nil, Keys: keys})
}

// registerKeyBegin answers the script with the options for
// navigator.credentials.create.
func (s *Server) registerKeyBegin(w http.ResponseWriter, r *http.Request) {
	rp, err := s.relyingParty(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	options, err := s.acct.BeginKeyRegistration(r.Context(), rp, *sessionOf(r))
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, options)
}

// registerKeyFinish checks the new credential and stores it.
func (s *Server) registerKeyFinish(w http.ResponseWriter, r *http.Request) {
	rp, err := s.relyingParty(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	body, err := readJSON(w, r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	var answer struct {
		Name       string          `json:"name"`
		Credential json.RawMessage `json:"credential"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		s.failJSON(w, r, account.ErrBadKey)
		return
	}
	sess := sessionOf(r)
	keyID := tip.NewID()
	ctx, err := s.audited(r.Context(), sess, "webauthn.register", "", "key "+keyID)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	if _, err := s.acct.FinishKeyRegistration(ctx, rp, *sess, keyID, answer.Name, answer.Credential); err != nil {
		s.failJSON(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"next": "/account"})
}

// removeKey removes one of the user's security keys. It needs no script.
func (s *Server) removeKey(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	id := r.PathValue("id")
	ctx, err := s.audited(r.Context(), sess, "webauthn.remove", "", "key "+id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.acct.RemoveSecurityKey(ctx, *sess, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
