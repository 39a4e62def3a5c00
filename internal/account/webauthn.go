package account

// WebAuthn (security keys, passkeys) as an optional second factor, in place
// of the TOTP code. The password still comes first: it alone unwraps the
// user's private key, so a security key adds a factor and never replaces the
// key hierarchy. Between the password and the key's answer, the login is
// pending: its private key is wrapped under a secret held only in a cookie,
// in a table of its own, so a pending login can never be used as a session.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/visible"
)

// KeyCeremonyTTL is how long a pending security-key login, or a registration
// begun, lasts.
const KeyCeremonyTTL = 5 * time.Minute

// ErrNoSecurityKey means the user has registered no security key, so the
// security-key login is not open to them.
var ErrNoSecurityKey = tip.Errorf(tip.CodeInvalid, "you have no security key registered: log in with the code from your authenticator app")

// ErrBadKey is the one answer to an assertion or registration that fails to
// verify; the details are the library's and tell the user nothing useful.
var ErrBadKey = tip.Errorf(tip.CodeUnauthorized, "the security key's answer was not accepted")

// keyHolder is a desk user as the WebAuthn library sees them. The user
// handle is the user's random id: it names no one.
type keyHolder struct {
	user  tip.User
	creds []webauthn.Credential
}

func (h keyHolder) WebAuthnID() []byte                         { return []byte(h.user.ID) }
func (h keyHolder) WebAuthnName() string                       { return h.user.Name }
func (h keyHolder) WebAuthnDisplayName() string                { return h.user.Name }
func (h keyHolder) WebAuthnCredentials() []webauthn.Credential { return h.creds }

var _ webauthn.User = keyHolder{}

func (a *Service) keyHolder(ctx context.Context, u tip.User) (keyHolder, []store.WebAuthnCredential, error) {
	stored, err := a.Store.WebAuthnCredentials(ctx, u.ID)
	if err != nil {
		return keyHolder{}, nil, err
	}
	h := keyHolder{user: u}
	for _, c := range stored {
		var transports []protocol.AuthenticatorTransport
		for _, t := range c.Transports {
			transports = append(transports, protocol.AuthenticatorTransport(t))
		}
		h.creds = append(h.creds, webauthn.Credential{
			ID:              c.CredentialID,
			PublicKey:       c.PublicKey,
			AttestationType: c.AttestationType,
			Transport:       transports,
			Flags:           webauthn.NewCredentialFlags(protocol.AuthenticatorFlags(c.Flags)),
			Authenticator:   webauthn.Authenticator{AAGUID: c.AAGUID, SignCount: c.SignCount},
		})
	}
	return h, stored, nil
}

// SecurityKeys lists a user's registered security keys.
func (a *Service) SecurityKeys(ctx context.Context, userID string) ([]store.WebAuthnCredential, error) {
	return a.Store.WebAuthnCredentials(ctx, userID)
}

// RemoveSecurityKey removes one of the session user's security keys.
func (a *Service) RemoveSecurityKey(ctx context.Context, sess Session, id string) error {
	return a.Store.RemoveWebAuthnCredential(ctx, sess.User.ID, id)
}

// BeginKeyRegistration starts registering a security key for the session's
// user and returns the options for navigator.credentials.create. The
// ceremony is kept server-side, keyed by the session, for KeyCeremonyTTL.
func (a *Service) BeginKeyRegistration(ctx context.Context, rp *webauthn.WebAuthn, sess Session) (*protocol.CredentialCreation, error) {
	h, _, err := a.keyHolder(ctx, sess.User)
	if err != nil {
		return nil, err
	}
	options, ceremony, err := rp.BeginRegistration(h,
		webauthn.WithExclusions(webauthn.Credentials(h.creds).CredentialDescriptors()),
		// No attestation: the desk does not need to know the make of a key,
		// and asking would fingerprint its user.
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementDiscouraged,
			UserVerification: protocol.VerificationDiscouraged,
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("failed to begin a security key registration: %w", err)
	}
	data, err := json.Marshal(ceremony)
	if err != nil {
		return nil, err
	}
	if err := a.Store.SetWebAuthnRegistration(ctx, sess.ID, data, a.now().Add(KeyCeremonyTTL)); err != nil {
		return nil, err
	}
	return options, nil
}

// maxKeyName is the longest name a user may give a security key.
const maxKeyName = 60

// FinishKeyRegistration verifies the browser's answer (the JSON of the
// PublicKeyCredential) to the registration begun from this session, and
// stores the new key under the name the user gave it and the id the caller
// chose (so that the audit entry attached to ctx can name it).
func (a *Service) FinishKeyRegistration(ctx context.Context, rp *webauthn.WebAuthn, sess Session, id, name string, response []byte) (store.WebAuthnCredential, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Security key"
	}
	if utf8.RuneCountInString(name) > maxKeyName || !utf8.ValidString(name) {
		return store.WebAuthnCredential{}, tip.Errorf(tip.CodeInvalid, "a security key's name is at most %d characters", maxKeyName)
	}
	if visible.Hidden(name) {
		// It is shown on the account page and in the audit log, where a
		// direction override would reorder what follows it.
		return store.WebAuthnCredential{}, tip.Errorf(tip.CodeInvalid, "a security key's name cannot hold control, direction or invisible characters: type it again")
	}
	// The ceremony is spent whatever comes of it; the audit entry belongs
	// to the key's registration, further down.
	data, err := a.Store.TakeWebAuthnRegistration(store.WithoutAudit(ctx), sess.ID)
	if err != nil {
		return store.WebAuthnCredential{}, err
	}
	var ceremony webauthn.SessionData
	if err := json.Unmarshal(data, &ceremony); err != nil {
		return store.WebAuthnCredential{}, fmt.Errorf("stored registration is damaged: %w", err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return store.WebAuthnCredential{}, ErrBadKey
	}
	h, _, err := a.keyHolder(ctx, sess.User)
	if err != nil {
		return store.WebAuthnCredential{}, err
	}
	cred, err := rp.CreateCredential(h, ceremony, parsed)
	if err != nil {
		return store.WebAuthnCredential{}, ErrBadKey
	}
	c := store.WebAuthnCredential{
		ID:              id,
		UserID:          sess.User.ID,
		CredentialID:    cred.ID,
		PublicKey:       cred.PublicKey,
		SignCount:       cred.Authenticator.SignCount,
		AAGUID:          cred.Authenticator.AAGUID,
		Flags:           byte(cred.Flags.ProtocolValue()),
		AttestationType: cred.AttestationType,
		Name:            name,
		CreatedAt:       a.now().UTC(),
	}
	for _, t := range cred.Transport {
		c.Transports = append(c.Transports, string(t))
	}
	return c, a.Store.AddWebAuthnCredential(ctx, c)
}

// CheckPassword checks a name and password, the first half of a login with
// a security key, throttled like Login. A user who has no security key, or
// who must enrol a new second factor after a reset, gets ErrBadLogin, the
// very answer to a wrong password: this half must tell nobody whether the
// password was right unless a security key stands behind it. Only the
// key's answer (FinishKeyLogin) clears the account's failures.
func (a *Service) CheckPassword(ctx context.Context, name, password string) (tip.User, *seal.Key, error) {
	if err := a.Throttle.Wait(ctx, name); err != nil {
		return tip.User{}, nil, err
	}
	u, _, key, err := a.checkPassword(ctx, name, password)
	if err == nil && !u.TOTPEnrolled {
		err = ErrBadLogin
	}
	if err == nil {
		var keys []store.WebAuthnCredential
		if keys, err = a.Store.WebAuthnCredentials(ctx, u.ID); err == nil && len(keys) == 0 {
			err = ErrBadLogin
		}
	}
	if err != nil {
		if errors.Is(err, ErrBadLogin) {
			err = a.failed(ctx, name, err)
		}
		return tip.User{}, nil, err
	}
	return u, key, nil
}

const pendingLabel = "webauthn pending login"

// StartKeyLogin stores a pending security-key login for a user whose
// password was right, and returns the cookie value that alone opens it.
func (a *Service) StartKeyLogin(ctx context.Context, u tip.User, key *seal.Key) (string, error) {
	raw := make([]byte, sessionIDLen+sessionSecretLen)
	rand.Read(raw)
	wrapped, err := seal.WrapToSecret(key, raw[sessionIDLen:], pendingLabel)
	if err != nil {
		return "", err
	}
	if err := a.Store.CreateWebAuthnLogin(ctx, hashID(raw[:sessionIDLen]), u.ID, wrapped, a.now().Add(KeyCeremonyTTL)); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// pending is a pending security-key login opened by its cookie.
type pending struct {
	id       string
	user     tip.User
	key      *seal.Key
	ceremony []byte
}

func (a *Service) pending(ctx context.Context, cookie string) (pending, error) {
	none := tip.Errorf(tip.CodeUnauthorized, "this login has ended: start again")
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) != sessionIDLen+sessionSecretLen {
		return pending{}, none
	}
	p := pending{id: hashID(raw[:sessionIDLen])}
	userID, wrapped, ceremony, err := a.Store.WebAuthnLogin(ctx, p.id)
	if err != nil {
		return pending{}, err
	}
	if p.key, err = seal.UnwrapWithSecret(wrapped, raw[sessionIDLen:], pendingLabel); err != nil {
		return pending{}, none
	}
	if p.user, err = a.Store.User(ctx, userID); err != nil {
		return pending{}, err
	}
	p.ceremony = ceremony
	return p, nil
}

// PendingKeyLogin returns the user of a pending security-key login.
func (a *Service) PendingKeyLogin(ctx context.Context, cookie string) (tip.User, error) {
	p, err := a.pending(ctx, cookie)
	return p.user, err
}

// BeginKeyLogin starts the assertion of a pending login and returns the
// options for navigator.credentials.get, limited to the user's own keys.
func (a *Service) BeginKeyLogin(ctx context.Context, rp *webauthn.WebAuthn, cookie string) (*protocol.CredentialAssertion, error) {
	p, err := a.pending(ctx, cookie)
	if err != nil {
		return nil, err
	}
	h, _, err := a.keyHolder(ctx, p.user)
	if err != nil {
		return nil, err
	}
	if len(h.creds) == 0 {
		return nil, ErrNoSecurityKey
	}
	options, ceremony, err := rp.BeginLogin(h, webauthn.WithUserVerification(protocol.VerificationDiscouraged))
	if err != nil {
		return nil, fmt.Errorf("failed to begin a security key login: %w", err)
	}
	data, err := json.Marshal(ceremony)
	if err != nil {
		return nil, err
	}
	if err := a.Store.SetWebAuthnLoginCeremony(ctx, p.id, data); err != nil {
		return nil, err
	}
	return options, nil
}

// FinishKeyLogin verifies the browser's answer (the JSON of the
// PublicKeyCredential) to the assertion begun, checks and advances the key's
// signature counter, ends the pending login and returns the user with their
// private key and the key used, ready for StartSession. A failed answer ends
// the ceremony: the next try begins a new one.
func (a *Service) FinishKeyLogin(ctx context.Context, rp *webauthn.WebAuthn, cookie string, response []byte) (tip.User, *seal.Key, store.WebAuthnCredential, error) {
	var none store.WebAuthnCredential
	p, err := a.pending(ctx, cookie)
	if err != nil {
		return tip.User{}, nil, none, err
	}
	if p.ceremony == nil {
		return tip.User{}, nil, none, tip.Errorf(tip.CodeConflict, "no security key login is under way: start again")
	}
	// One answer per challenge, right or wrong.
	if err := a.Store.SetWebAuthnLoginCeremony(ctx, p.id, nil); err != nil {
		return tip.User{}, nil, none, err
	}
	var ceremony webauthn.SessionData
	if err := json.Unmarshal(p.ceremony, &ceremony); err != nil {
		return tip.User{}, nil, none, fmt.Errorf("stored login is damaged: %w", err)
	}
	if ceremony.Expires.IsZero() || ceremony.Expires.After(a.now().Add(KeyCeremonyTTL)) {
		ceremony.Expires = a.now().Add(KeyCeremonyTTL)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return tip.User{}, nil, none, a.failed(ctx, p.user.Name, ErrBadKey)
	}
	h, stored, err := a.keyHolder(ctx, p.user)
	if err != nil {
		return tip.User{}, nil, none, err
	}
	cred, err := rp.ValidateLogin(h, ceremony, parsed)
	if err != nil {
		return tip.User{}, nil, none, a.failed(ctx, p.user.Name, ErrBadKey)
	}
	if cred.Authenticator.CloneWarning {
		return tip.User{}, nil, none, a.failed(ctx, p.user.Name, store.ErrSignCountBackwards)
	}
	var used store.WebAuthnCredential
	for _, c := range stored {
		if string(c.CredentialID) == string(cred.ID) {
			used = c
		}
	}
	if used.ID == "" {
		return tip.User{}, nil, none, ErrBadKey
	}
	if err := a.Store.UseWebAuthnCredential(ctx, used.ID, cred.Authenticator.SignCount, byte(cred.Flags.ProtocolValue())); err != nil {
		return tip.User{}, nil, none, err
	}
	if err := a.Store.EndWebAuthnLogin(ctx, p.id); err != nil {
		return tip.User{}, nil, none, err
	}
	if err := a.Throttle.Succeeded(ctx, p.user.Name); err != nil {
		return tip.User{}, nil, none, err
	}
	return p.user, p.key, used, nil
}

// IsKeyRefusal reports whether err is a security key's answer refused (as
// opposed to a fault of the server).
func IsKeyRefusal(err error) bool {
	return errors.Is(err, ErrBadKey) || errors.Is(err, store.ErrSignCountBackwards)
}
