package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"

	"tipline/internal/auth"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// After an admin resets a user's second factor, the user's password alone
// opens nothing. The reset issues a one-time enrolment code, shown to the
// admin once, who hands it to the user out of band. Logging in with the
// password and that code starts an enrolment session, which opens only the
// new second factor's QR code and the form that confirms it; confirming
// (with the code again) spends the code and starts a new desk session.
// Someone who knows only the password can neither enrol their own
// authenticator nor ride on the real user's enrolment.

// EnrolCodeTTL is how long an enrolment code stays good.
const EnrolCodeTTL = 24 * time.Hour

// enrolCodeBytes of randomness: 100 bits, like a receipt, so that a fast
// hash is sound and a guess is hopeless even before the login throttle.
const enrolCodeBytes = 13

// newEnrolCode returns a fresh enrolment code, as the admin reads it out
// (groups of four letters and digits), and the hash kept of it.
func newEnrolCode(userID string) (code, hash string) {
	raw := make([]byte, enrolCodeBytes)
	rand.Read(raw)
	plain := strings.TrimRight(base32.StdEncoding.EncodeToString(raw), "=")
	var groups []string
	for len(plain) > 4 {
		groups, plain = append(groups, plain[:4]), plain[4:]
	}
	groups = append(groups, plain)
	return strings.Join(groups, "-"), hashEnrolCode(userID, strings.Join(groups, ""))
}

// hashEnrolCode hashes a normalised code, bound to its user.
func hashEnrolCode(userID, normalised string) string {
	sum := sha256.Sum256([]byte("tipline enrolment code\x00" + userID + "\x00" + normalised))
	return hex.EncodeToString(sum[:])
}

// normaliseEnrolCode accepts a code typed in any case, with or without its
// hyphens and spaces.
func normaliseEnrolCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "", "\t", "").Replace(code))
}

// enrolCodeMatches reports whether code is the user's pending enrolment
// code, still good at now.
func enrolCodeMatches(u tip.User, sec store.UserSecrets, code string, now time.Time) bool {
	if sec.EnrolCodeHash == "" || code == "" || !now.Before(sec.EnrolCodeExpires) {
		return false
	}
	got := hashEnrolCode(u.ID, normaliseEnrolCode(code))
	return subtle.ConstantTimeCompare([]byte(got), []byte(sec.EnrolCodeHash)) == 1
}

// ResetSecondFactor replaces a user's TOTP secret, sealed to their public key
// (an admin needs no secret of theirs for that), removes their security keys
// and ends their sessions. It returns the enrolment code to give the user:
// shown once, kept only as a hash, good for EnrolCodeTTL.
func (a *Service) ResetSecondFactor(ctx context.Context, userID string) (string, error) {
	u, err := a.Store.User(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.AwaitsPassphrase() {
		return "", tip.Errorf(tip.CodeConflict, "%s's passphrase was reset: the enrolment code given then enrols a new second factor too. If it was lost, reset the passphrase again.", u.Name)
	}
	r, err := seal.ParseRecipient(u.PublicKey)
	if err != nil {
		return "", err
	}
	_, uri, err := auth.NewTOTP(Issuer, u.Name)
	if err != nil {
		return "", err
	}
	sealed, err := seal.SealBytes([]byte(uri), r)
	if err != nil {
		return "", err
	}
	code, hash := newEnrolCode(u.ID)
	if err := a.Store.ResetSecondFactor(ctx, userID, sealed, hash, a.now().Add(EnrolCodeTTL)); err != nil {
		return "", err
	}
	return code, nil
}

// Enrolment returns the pending second factor's URI, for the QR code shown
// in an enrolment session.
func (a *Service) Enrolment(ctx context.Context, sess Session) (string, error) {
	_, sec, err := a.Store.UserByName(ctx, sess.User.Name)
	if err != nil {
		return "", err
	}
	uri, err := seal.OpenBytes(sec.TOTPSealed, sess.Key)
	if err != nil {
		return "", err
	}
	return string(uri), nil
}

// ConfirmEnrolment checks the enrolment code again and a first code of the
// new second factor, puts the factor in use, spends the enrolment code and
// ends the enrolment session; it returns the cookie value of a new desk
// session. Any failure is ErrBadLogin, slowed like a failed login.
func (a *Service) ConfirmEnrolment(ctx context.Context, sess Session, enrolCode, code string) (string, error) {
	u := sess.User
	if u.AwaitsPassphrase() {
		return "", tip.Errorf(tip.CodeInvalid, "Your passphrase was reset: choose a new one on this page as well.")
	}
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
	if err := a.checkCode(ctx, u, sess.Key, sec, code); err != nil {
		if err == ErrBadLogin {
			err = a.failed(ctx, u.Name, err)
		}
		return "", err
	}
	id, secret, cookie := newSessionValue()
	wrapped, err := seal.WrapToSecret(sess.Key, secret, "desk session")
	if err != nil {
		return "", err
	}
	if err := a.Store.CompleteEnrolment(ctx, u.ID, id, wrapped, a.now().Add(SessionTTL)); err != nil {
		return "", err
	}
	if err := a.Throttle.Succeeded(ctx, u.Name); err != nil {
		return "", err
	}
	return cookie, nil
}
