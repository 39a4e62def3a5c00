package account

import (
	"context"
	"time"

	"tipline/internal/auth"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// A forgotten passphrase cannot be recovered, and neither can the private
// key it wrapped: nothing can. An admin's reset (ResetPassphrase) puts the
// user back where an invited person is: their key copies, private key,
// second factors and sessions are deleted (store.ResetPassphrase) and a
// one-time enrolment code is shown to the admin once. With their name and
// that code the user logs in (MustChoosePassphrase), gets a new key pair
// and second factor held in an enrolment session (StartPassphraseEnrolment),
// chooses a passphrase — which the admin never learns — and confirms with
// the code again and a first code of the new factor (ChoosePassphrase).
// Older reports need a new grant; new reports of their offers reach the new
// key.

// PassphraseReset is what a passphrase reset gives the admin, once.
type PassphraseReset struct {
	// EnrolCode is the code to hand to the user; only its hash is kept.
	EnrolCode string
	Expires   time.Time
	// Removal is what the reset did to the reports the user held.
	store.Removal
}

// ResetPassphrase resets a user's forgotten passphrase, with the audit
// entry entry attaches, and returns the enrolment code to hand to them —
// shown once, kept only as a hash, good for EnrolCodeTTL. Its refusals are
// store.ResetPassphrase's.
func (a *Service) ResetPassphrase(ctx context.Context, userID string, leaveToRecovery bool, entry store.RemovalEntry) (PassphraseReset, error) {
	code, hash := newEnrolCode(userID)
	expires := a.now().Add(EnrolCodeTTL)
	r, err := a.Store.ResetPassphrase(ctx, userID, hash, expires, leaveToRecovery, entry)
	if err != nil {
		return PassphraseReset{}, err
	}
	return PassphraseReset{EnrolCode: code, Expires: expires, Removal: r}, nil
}

// MustChoosePassphrase is Login's answer to the right name and enrolment
// code of a user awaiting a passphrase: start their enrolment
// (StartPassphraseEnrolment).
type MustChoosePassphrase struct{ User tip.User }

func (m *MustChoosePassphrase) Error() string { return "a new passphrase must be chosen" }

// StartPassphraseEnrolment makes the new key pair and second factor of a
// user awaiting a passphrase and starts an enrolment session holding the
// new private key; it returns the session's cookie value. The second
// factor, sealed to the new public key, is what Enrolment shows.
func (a *Service) StartPassphraseEnrolment(ctx context.Context, u tip.User) (string, error) {
	key, err := seal.NewKey()
	if err != nil {
		return "", err
	}
	_, uri, err := auth.NewTOTP(Issuer, u.Name)
	if err != nil {
		return "", err
	}
	totpSealed, err := seal.SealBytes([]byte(uri), key.Recipient())
	if err != nil {
		return "", err
	}
	id, secret, cookie := newSessionValue()
	wrapped, err := seal.WrapToSecret(key, secret, "desk session")
	if err != nil {
		return "", err
	}
	if err := a.Store.StartPassphraseEnrolment(ctx, u.ID, totpSealed, id, wrapped, a.now().Add(EnrolSessionTTL)); err != nil {
		return "", err
	}
	return cookie, nil
}

// ChoosePassphrase checks the enrolment code again, the passphrase chosen
// (twice) and a first code of the new second factor, and puts them in use:
// the session's new private key wrapped by the passphrase, its public key
// the user's, the code spent. It returns the cookie value of a new desk
// session. Wrong codes are slowed like failed logins.
func (a *Service) ChoosePassphrase(ctx context.Context, sess Session, enrolCode, passphrase, repeated, code string) (string, error) {
	u := sess.User
	if err := a.Throttle.Wait(ctx, u.Name); err != nil {
		return "", err
	}
	_, sec, err := a.Store.UserByName(ctx, u.Name)
	if err != nil {
		return "", err
	}
	if !enrolCodeMatches(u, sec, enrolCode, a.now()) {
		return "", a.failed(ctx, u.Name, ErrBadLogin)
	}
	if passphrase != repeated {
		return "", tip.Errorf(tip.CodeInvalid, "The two passphrases differ: type the same one twice.")
	}
	if err := auth.CheckPolicy(passphrase); err != nil {
		return "", tip.Errorf(tip.CodeInvalid, "%v", err)
	}
	if err := a.checkCode(ctx, u, sess.Key, sec, code); err != nil {
		if err == ErrBadLogin {
			err = a.failed(ctx, u.Name, err)
		}
		return "", err
	}
	stored, secret, err := a.Hasher.NewPassword(ctx, passphrase)
	if err != nil {
		return "", err
	}
	wrapped, err := seal.WrapToSecret(sess.Key, secret, "user password")
	if err != nil {
		return "", err
	}
	id, sessionSecret, cookie := newSessionValue()
	sessionKey, err := seal.WrapToSecret(sess.Key, sessionSecret, "desk session")
	if err != nil {
		return "", err
	}
	err = a.Store.CompletePassphraseReset(ctx, u.ID, stored.String(), sess.Key.Recipient().String(), wrapped, id, sessionKey, a.now().Add(SessionTTL))
	if err != nil {
		return "", err
	}
	if err := a.Throttle.Succeeded(ctx, u.Name); err != nil {
		return "", err
	}
	return cookie, nil
}

// Grant wraps a tip key the granter holds to another user: from the
// granter's session, or with the recovery identity on the command line. The
// user must be able to receive it (CheckGrantee).
func (a *Service) Grant(ctx context.Context, tipID string, tipKey *seal.Key, to tip.User) error {
	if err := CheckGrantee(to); err != nil {
		return err
	}
	wrapped, err := WrapTipKey(tipKey, to)
	if err != nil {
		return err
	}
	return a.Store.GrantTipKey(ctx, tipID, to.Holder(), wrapped)
}

// CheckGrantee says why a report may not be granted to u: only an enabled
// analyst is granted reports. A committee member reads only what a
// recommendation shares with them (the reports a reward is recommended on),
// and an admin or an auditor reads no report at all.
func CheckGrantee(u tip.User) error {
	switch {
	case u.AwaitsPassphrase():
		return store.ErrAwaitingPassphrase
	case u.Disabled:
		return tip.Errorf(tip.CodeInvalid, "%s is disabled: a disabled user is granted no report", u.Name)
	case u.Has(tip.RoleAnalyst):
		return nil
	case u.Has(tip.RoleCommittee):
		return tip.Errorf(tip.CodeInvalid, "%s is on the reward committee, which reads a report only when a reward is recommended on it: only analysts are granted reports", u.Name)
	default:
		return tip.Errorf(tip.CodeInvalid, "%s is not an analyst: only analysts are granted reports", u.Name)
	}
}

// WrapTipKey wraps a tip key to a user's public key, for a grant.
func WrapTipKey(tipKey *seal.Key, to tip.User) ([]byte, error) {
	r, err := seal.ParseRecipient(to.PublicKey)
	if err != nil {
		return nil, err
	}
	return seal.Wrap(tipKey, r)
}

// OpenTip unwraps a tip's key for a holder key. A tip the holder cannot open
// is "not found", never "forbidden": the desk does not reveal that it exists.
func (a *Service) OpenTip(ctx context.Context, tipID, holder string, key *seal.Key) (*seal.Key, error) {
	wrapped, err := a.Store.WrappedKey(ctx, tipID, holder)
	if err != nil {
		return nil, tip.Errorf(tip.CodeNotFound, "no such report")
	}
	tipKey, err := seal.Unwrap(wrapped, key)
	if err != nil {
		return nil, tip.Errorf(tip.CodeNotFound, "no such report")
	}
	return tipKey, nil
}
