package account

import (
	"context"
	"errors"

	"tipline/internal/auth"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// An admin may add a desk user on the desk without a shell and without ever
// knowing their passphrase. Inviting stores only a name, roles and the hash
// of a one-time enrolment code, shown to the admin once. The invited person
// logs in with the name and the code alone; that starts an activation: a
// key pair and a second factor made for them there and then, held under a
// secret in their cookie. They choose a passphrase, scan the QR code and
// confirm with the code again and a first TOTP code; only then is the user
// made — with the key wrapped by their passphrase — and the invitation
// spent. An invitation's code can only make a new user: it is never
// accepted for an existing user, whose passphrase and keys it cannot touch.

// ActivationTTL is how long an activation in progress lasts.
const ActivationTTL = EnrolSessionTTL

// Invite stores an invitation for a new desk user, under id (the id the
// user will have), and returns the enrolment code to hand to them, good for
// EnrolCodeTTL.
func (a *Service) Invite(ctx context.Context, id, name string, roles []tip.Role) (string, error) {
	if err := tip.ValidateUser(name, roles); err != nil {
		return "", err
	}
	code, hash := newEnrolCode(id)
	inv := store.Invitation{ID: id, Name: name, Roles: roles, CodeHash: hash, ExpiresAt: a.now().Add(EnrolCodeTTL), CreatedAt: a.now()}
	if err := a.Store.CreateInvitation(ctx, inv); err != nil {
		return "", err
	}
	return code, nil
}

// MustActivate is Login's answer to an invited person's right name and
// enrolment code: start an activation (StartActivation).
type MustActivate struct{ Invitation store.Invitation }

func (m *MustActivate) Error() string { return "an invitation must be activated" }

// invitationLogin checks an invited person's login: the enrolment code
// alone, since they have no passphrase yet.
func (a *Service) invitationLogin(ctx context.Context, c Credentials) error {
	inv, err := a.Store.InvitationByName(ctx, c.Name)
	if tip.ErrorCode(err) == tip.CodeNotFound {
		return ErrBadLogin
	}
	if err != nil {
		return err
	}
	u := tip.User{ID: inv.ID}
	sec := store.UserSecrets{EnrolCodeHash: inv.CodeHash, EnrolCodeExpires: inv.ExpiresAt}
	if !enrolCodeMatches(u, sec, c.EnrolCode, a.now()) {
		return ErrBadLogin
	}
	return &MustActivate{Invitation: inv}
}

// StartActivation makes the invited person's key pair and second factor,
// stores them under a secret that only the returned cookie value holds, and
// returns that value.
func (a *Service) StartActivation(ctx context.Context, inv store.Invitation) (string, error) {
	key, err := seal.NewKey()
	if err != nil {
		return "", err
	}
	_, uri, err := auth.NewTOTP(Issuer, inv.Name)
	if err != nil {
		return "", err
	}
	totpSealed, err := seal.SealBytes([]byte(uri), key.Recipient())
	if err != nil {
		return "", err
	}
	id, secret, cookie := newSessionValue()
	wrapped, err := seal.WrapToSecret(key, secret, "activation")
	if err != nil {
		return "", err
	}
	err = a.Store.StartActivation(ctx, store.Activation{ID: id, InvitationID: inv.ID, PublicKey: key.Recipient().String(),
		WrappedKey: wrapped, TOTPSealed: totpSealed, ExpiresAt: a.now().Add(ActivationTTL)})
	if err != nil {
		return "", err
	}
	return cookie, nil
}

// Activation is an activation in progress, opened by its cookie.
type Activation struct {
	Invitation store.Invitation
	key        *seal.Key
	totpURI    string
	publicKey  string
	totpSealed []byte
}

// OpenActivation opens the activation a cookie value names.
func (a *Service) OpenActivation(ctx context.Context, cookie string) (Activation, error) {
	id, secret, ok := parseSessionValue(cookie)
	if !ok {
		return Activation{}, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	act, inv, err := a.Store.ActivationOf(ctx, id)
	if err != nil {
		return Activation{}, err
	}
	key, err := seal.UnwrapWithSecret(act.WrappedKey, secret, "activation")
	if err != nil {
		return Activation{}, tip.Errorf(tip.CodeUnauthorized, "not logged in")
	}
	uri, err := seal.OpenBytes(act.TOTPSealed, key)
	if err != nil {
		return Activation{}, err
	}
	return Activation{Invitation: inv, key: key, totpURI: string(uri), publicKey: act.PublicKey, totpSealed: act.TOTPSealed}, nil
}

// TOTPURI is the new second factor's URI, for the QR code.
func (act Activation) TOTPURI() string { return act.totpURI }

// Activate checks the enrolment code again, the passphrase chosen (twice)
// and a first code of the new second factor, and makes the user: their key
// wrapped by the passphrase, the second factor in use, the invitation spent.
// It returns the user and the cookie value of their first desk session.
// Wrong codes are slowed like failed logins.
func (a *Service) Activate(ctx context.Context, act Activation, enrolCode, passphrase, repeated, code string) (tip.User, string, error) {
	name := act.Invitation.Name
	if err := a.Throttle.Wait(ctx, name); err != nil {
		return tip.User{}, "", err
	}
	fail := func(err error) (tip.User, string, error) {
		if errors.Is(err, ErrBadLogin) {
			err = a.failed(ctx, name, err)
		}
		return tip.User{}, "", err
	}
	inv := act.Invitation
	if !enrolCodeMatches(tip.User{ID: inv.ID}, store.UserSecrets{EnrolCodeHash: inv.CodeHash, EnrolCodeExpires: inv.ExpiresAt}, enrolCode, a.now()) {
		return fail(ErrBadLogin)
	}
	if passphrase != repeated {
		return fail(tip.Errorf(tip.CodeInvalid, "The two passphrases differ: type the same one twice."))
	}
	if err := auth.CheckPolicy(passphrase); err != nil {
		return fail(tip.Errorf(tip.CodeInvalid, "%v", err))
	}
	otpSecret, err := totpSecret(act.totpURI)
	if err != nil {
		return fail(err)
	}
	step, ok := auth.CheckTOTP(otpSecret, code, 0, a.now())
	if !ok {
		return fail(ErrBadLogin)
	}
	stored, secret, err := a.Hasher.NewPassword(ctx, passphrase)
	if err != nil {
		return fail(err)
	}
	wrapped, err := seal.WrapToSecret(act.key, secret, "user password")
	if err != nil {
		return fail(err)
	}
	// The user takes the invitation's id, so that what the admin did and
	// what the user does are audited under one name.
	u := tip.User{ID: inv.ID, Name: name, Roles: inv.Roles, PublicKey: act.publicKey, TOTPEnrolled: true}
	sessionID, sessionSecret, cookie := newSessionValue()
	sessionKey, err := seal.WrapToSecret(act.key, sessionSecret, "desk session")
	if err != nil {
		return fail(err)
	}
	n := store.NewUser{User: u, Password: stored.String(), WrappedKey: wrapped, TOTPSealed: act.totpSealed, TOTPLastStep: step}
	if err := a.Store.Activate(ctx, inv.ID, n, sessionID, sessionKey, a.now().Add(SessionTTL)); err != nil {
		return fail(err)
	}
	if err := a.Throttle.Succeeded(ctx, name); err != nil {
		return tip.User{}, "", err
	}
	return u, cookie, nil
}
