package desk

// WebAuthn (security keys, passkeys) as an optional second factor: the only
// JavaScript the desk loads, on the WebAuthn pages alone. Everything else,
// TOTP logins included, works with JavaScript off.
//
// The relying party comes from configuration alone (Config.WebAuthnRPID and
// Config.WebAuthnOrigins; `tipline serve --desk-origin`). Without it,
// WebAuthn is off: the request's Host header is the client's to choose, and
// trusting it would let a proxy pass its own origin for the desk's, undoing
// what makes security keys phishing-proof.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"tipline/internal/tip"
)

// WebAuthnCSP is the desk's CSP with one addition for the WebAuthn pages:
// same-origin script (/static/webauthn.js) and same-origin fetch for its
// ceremonies. Every other desk page keeps CSP, with no script at all.
var WebAuthnCSP = strings.Replace(CSP, "default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';", 1)

// pendingKeyCookie carries a login whose password was right and whose
// security key is yet to answer. It opens no desk page.
const pendingKeyCookie = "tipline_webauthn"

// errNoWebAuthn answers the ceremonies when no relying party is configured.
var errNoWebAuthn = tip.Errorf(tip.CodeNotFound, "security keys are not set up on this desk")

// relyingParty returns the WebAuthn relying party the desk is, for a request.
func (s *Server) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	rpID, origins := s.cfg.WebAuthnRPID, s.cfg.WebAuthnOrigins
	if len(origins) == 0 {
		return nil, errNoWebAuthn
	}
	if rpID == "" {
		u, err := url.Parse(origins[0])
		if err != nil || u.Hostname() == "" {
			return nil, fmt.Errorf("WebAuthn origin %q is not a URL: %w", origins[0], err)
		}
		rpID = u.Hostname()
	}
	rp, err := webauthn.New(&webauthn.Config{
		RPID:          rpID,
		RPDisplayName: "Tipline desk",
		RPOrigins:     origins,
		// The options the account service asks for (no attestation, no
		// resident key, no user verification: a second factor after the
		// password) are set per ceremony; these are the fallbacks.
		AttestationPreference: protocol.PreferNoAttestation,
	})
	if err != nil {
		return nil, fmt.Errorf("WebAuthn is misconfigured: %w", err)
	}
	return rp, nil
}

// webauthnHeaders lets a WebAuthn page load its one script. The desk
// middleware has set the strict CSP already; this replaces it.
func webauthnHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", WebAuthnCSP)
}

// readJSON reads a small JSON body: a ceremony's answer is a few kilobytes.
func readJSON(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		return nil, tip.Errorf(tip.CodeTooLarge, "too large")
	}
	if !json.Valid(body) {
		return nil, tip.Errorf(tip.CodeInvalid, "the browser's answer is not JSON")
	}
	return body, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// failJSON is fail for the script's requests: the same statuses, and an
// error message the script shows, as text.
func (s *Server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	err = s.classify(err)
	status, text := tip.HTTPStatus(err), tip.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		text = "Sorry, something went wrong. It has been logged."
		s.log.Error("internal error on the desk", "pattern", r.Pattern, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": text})
}
