// Package account is the life of a desk user's keys: creating a user with a
// key pair wrapped by their password, logging in (password, then the second
// factor sealed to the user's own key), sessions whose key lives only in the
// user's cookie, and resets that cannot recover what a user could open.
//
// The server never holds a user's private key at rest: it is wrapped by a
// secret derived from the password (argon2id) and, while logged in, by a
// random secret held only in the cookie. A stolen users or sessions table
// opens nothing.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pquerna/otp"

	"tipline/internal/auth"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// Issuer names the installation in authenticator apps.
const Issuer = "Tipline"

// SessionTTL is how long a desk login lasts.
const SessionTTL = 8 * time.Hour

// Service manages accounts.
type Service struct {
	Store    *store.Store
	Hasher   *auth.Hasher
	Throttle *auth.Throttle
	Now      func() time.Time // for tests; time.Now by default

	dummyOnce sync.Once
	dummy     auth.Password
}

func (a *Service) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// ErrBadLogin is the one answer to a wrong name, password or code, so that a
// login form reveals nothing about which was wrong.
var ErrBadLogin = tip.Errorf(tip.CodeUnauthorized, "the name, password or code is wrong")

// Created is what a new account's owner needs once.
type Created struct {
	User    tip.User
	TOTPURI string
}

// Create makes a user with a fresh key pair and second factor. Analysts with
// no offers given receive every offer that exists.
func (a *Service) Create(ctx context.Context, name, password string, roles []tip.Role, offers []string, email string) (Created, error) {
	if err := tip.ValidateUser(name, roles); err != nil {
		return Created{}, err
	}
	if err := tip.ValidateEmail(email); err != nil {
		return Created{}, err
	}
	if err := auth.CheckPolicy(password); err != nil {
		return Created{}, tip.Errorf(tip.CodeInvalid, "%v", err)
	}
	u := tip.User{ID: tip.NewID(), Name: name, Roles: roles, TOTPEnrolled: true, Email: email}
	pw, wrapped, totpSealed, uri, err := a.newSecrets(ctx, &u, password)
	if err != nil {
		return Created{}, err
	}
	if len(offers) == 0 && u.Has(tip.RoleAnalyst) {
		all, err := a.Store.Offers(ctx)
		if err != nil {
			return Created{}, err
		}
		for _, o := range all {
			offers = append(offers, o.ID)
		}
	}
	if !u.Has(tip.RoleAnalyst) && len(offers) > 0 {
		return Created{}, tip.Errorf(tip.CodeInvalid, "--offer is for analysts: only they receive an offer's reports")
	}
	for _, o := range offers {
		if _, err := a.Store.Offer(ctx, o); err != nil {
			return Created{}, tip.Errorf(tip.CodeInvalid, "no offer with id %q", o)
		}
	}
	err = a.Store.CreateUser(ctx, store.NewUser{User: u, Password: pw, WrappedKey: wrapped, TOTPSealed: totpSealed, Offers: offers})
	return Created{User: u, TOTPURI: uri}, err
}

// newSecrets makes a key pair for u, wrapped by the password, and a second
// factor sealed to the new public key.
func (a *Service) newSecrets(ctx context.Context, u *tip.User, password string) (pw string, wrapped, totpSealed []byte, uri string, err error) {
	key, err := seal.NewKey()
	if err != nil {
		return "", nil, nil, "", err
	}
	stored, secret, err := a.Hasher.NewPassword(ctx, password)
	if err != nil {
		return "", nil, nil, "", err
	}
	if wrapped, err = seal.WrapToSecret(key, secret, "user password"); err != nil {
		return "", nil, nil, "", err
	}
	// The whole otpauth URI is sealed: it holds the secret, and it is what
	// a QR code shows again after a reset.
	_, uri, err = auth.NewTOTP(Issuer, u.Name)
	if err != nil {
		return "", nil, nil, "", err
	}
	if totpSealed, err = seal.SealBytes([]byte(uri), key.Recipient()); err != nil {
		return "", nil, nil, "", err
	}
	u.PublicKey = key.Recipient().String()
	return stored.String(), wrapped, totpSealed, uri, nil
}

// Credentials are what a login form sends: a name, a password, and either
// a second-factor code or, after an admin reset the second factor, the
// one-time enrolment code the admin handed over.
type Credentials struct {
	Name, Password, Code, EnrolCode string
}

// Login checks a login's credentials and returns the user with their
// private key. Repeated failures are slowed, per account and overall, but a
// correct login is never refused; only a full login (both factors) clears
// an account's failures. A disabled user cannot log in. When the user must
// enrol a new second factor (after a reset), the password and the
// enrolment code are both needed, and Login returns ErrMustEnrol with the
// user and key: start an enrolment session (StartEnrolSession), never a
// desk session. A user whose passphrase was reset logs in with the
// enrolment code alone, and Login returns *MustChoosePassphrase. Any
// failure is ErrBadLogin, whatever was wrong.
func (a *Service) Login(ctx context.Context, c Credentials) (tip.User, *seal.Key, error) {
	if err := a.Throttle.Wait(ctx, c.Name); err != nil {
		return tip.User{}, nil, err
	}
	u, key, err := a.login(ctx, c)
	if err != nil && !errors.Is(err, ErrMustEnrol) {
		if errors.Is(err, ErrBadLogin) {
			err = a.failed(ctx, c.Name, err)
		}
		return tip.User{}, nil, err
	}
	if err := a.Throttle.Succeeded(ctx, c.Name); err != nil {
		return tip.User{}, nil, err
	}
	return u, key, err
}

// failed records a failed attempt on the account name and returns err, the
// answer to give, unless the failure could not be recorded: an attempt not
// counted must not be answered as if it were.
func (a *Service) failed(ctx context.Context, name string, err error) error {
	if ferr := a.Throttle.Failed(ctx, name); ferr != nil {
		return ferr
	}
	return err
}

// ErrMustEnrol means the password and the enrolment code were right and the
// user must now enrol a new second factor.
var ErrMustEnrol = errors.New("a new second factor must be enrolled")

func (a *Service) login(ctx context.Context, c Credentials) (tip.User, *seal.Key, error) {
	u, sec, key, err := a.checkPassword(ctx, c.Name, c.Password)
	if errors.Is(err, errNoSuchUser) && c.EnrolCode != "" {
		// Perhaps someone invited on the desk, who has no passphrase yet.
		return tip.User{}, nil, a.invitationLogin(ctx, c)
	}
	if errors.Is(err, errAwaitsPassphrase) {
		// A user whose passphrase was reset logs in, as an invited person
		// does, with the enrolment code alone.
		if !enrolCodeMatches(u, sec, c.EnrolCode, a.now()) {
			return tip.User{}, nil, ErrBadLogin
		}
		return tip.User{}, nil, &MustChoosePassphrase{User: u}
	}
	if err != nil {
		return tip.User{}, nil, err
	}
	if !u.TOTPEnrolled {
		if !enrolCodeMatches(u, sec, c.EnrolCode, a.now()) {
			return tip.User{}, nil, ErrBadLogin
		}
		return u, key, ErrMustEnrol
	}
	if err := a.checkCode(ctx, u, key, sec, c.Code); err != nil {
		return tip.User{}, nil, err
	}
	return u, key, nil
}

func (a *Service) checkCode(ctx context.Context, u tip.User, key *seal.Key, sec store.UserSecrets, code string) error {
	uri, err := seal.OpenBytes(sec.TOTPSealed, key)
	if err != nil {
		return err
	}
	secret, err := totpSecret(string(uri))
	if err != nil {
		return err
	}
	step, ok := auth.CheckTOTP(secret, code, sec.TOTPLastStep, a.now())
	if !ok {
		return ErrBadLogin
	}
	// Spending the code is part of checking it, not the action a caller may
	// be auditing.
	if err := a.Store.UseTOTPStep(store.WithoutAudit(ctx), u.ID, step); err != nil {
		if errors.Is(err, tip.ErrReplayedCode) {
			return ErrBadLogin
		}
		return err
	}
	return nil
}

// totpSecret returns the secret of a stored otpauth URI.
func totpSecret(uri string) (string, error) {
	otpKey, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", fmt.Errorf("stored second factor is damaged: %w", err)
	}
	return otpKey.Secret(), nil
}

// errNoSuchUser is the answer for a name no user has: ErrBadLogin to
// everyone outside this package.
var errNoSuchUser = fmt.Errorf("%w (no such user)", ErrBadLogin)

// errAwaitsPassphrase is the answer for a user whose passphrase was reset
// and who logs in without the right enrolment code: ErrBadLogin to
// everyone outside this package.
var errAwaitsPassphrase = fmt.Errorf("%w (awaiting a new passphrase)", ErrBadLogin)

// ErrBusy answers a login when too many are being checked at once.
var ErrBusy = tip.Errorf(tip.CodeUnavailable, "Too many logins at once: try again in a moment.")

// checkPassword is the password half of login: the same work for a name
// that does not exist, the same answer for any failure. A record made with
// other hashing parameters than the current ones is made anew.
func (a *Service) checkPassword(ctx context.Context, name, password string) (tip.User, store.UserSecrets, *seal.Key, error) {
	u, sec, err := a.Store.UserByName(ctx, name)
	if err == nil && !u.Removed.IsZero() {
		// A removed user has no password record: answered as a name no
		// user has, after the same work.
		err = tip.Errorf(tip.CodeNotFound, "no such user")
	}
	if tip.ErrorCode(err) == tip.CodeNotFound {
		if _, _, err := a.Hasher.Check(ctx, password, a.dummyPassword()); errors.Is(err, auth.ErrBusy) {
			return tip.User{}, sec, nil, ErrBusy
		}
		return tip.User{}, sec, nil, errNoSuchUser
	}
	if err != nil {
		return tip.User{}, sec, nil, err
	}
	if u.AwaitsPassphrase() {
		// No passphrase to check: the same work, and the enrolment code
		// decides (login).
		if _, _, err := a.Hasher.Check(ctx, password, a.dummyPassword()); errors.Is(err, auth.ErrBusy) {
			return tip.User{}, sec, nil, ErrBusy
		}
		if u.Disabled {
			return tip.User{}, sec, nil, ErrBadLogin
		}
		return u, sec, nil, errAwaitsPassphrase
	}
	stored, err := auth.ParsePassword(sec.Password)
	if err != nil {
		return tip.User{}, sec, nil, err
	}
	secret, ok, err := a.Hasher.Check(ctx, password, stored)
	if errors.Is(err, auth.ErrBusy) {
		return tip.User{}, sec, nil, ErrBusy
	}
	if err != nil {
		return tip.User{}, sec, nil, err
	}
	if !ok || u.Disabled {
		return tip.User{}, sec, nil, ErrBadLogin
	}
	key, err := seal.UnwrapWithSecret(sec.WrappedKey, secret, "user password")
	if err != nil {
		return tip.User{}, sec, nil, err
	}
	if a.Hasher.NeedsRehash(stored) {
		if err := a.rehash(ctx, u, key, password); err != nil {
			return tip.User{}, sec, nil, err
		}
	}
	return u, sec, key, nil
}

// rehash makes a new password record with the current parameters and wraps
// the private key anew under its secret.
func (a *Service) rehash(ctx context.Context, u tip.User, key *seal.Key, password string) error {
	stored, secret, err := a.Hasher.NewPassword(ctx, password)
	if err != nil {
		return err
	}
	wrapped, err := seal.WrapToSecret(key, secret, "user password")
	if err != nil {
		return err
	}
	return a.Store.SetPassword(store.WithoutAudit(ctx), u.ID, stored.String(), wrapped)
}

// dummyPassword is the record a name with no account is checked against,
// made once, so that its answer takes as long as a real one.
func (a *Service) dummyPassword() auth.Password {
	a.dummyOnce.Do(func() {
		a.dummy, _, _ = a.Hasher.NewPassword(context.Background(), "no such user, no such password")
	})
	return a.dummy
}

// Session is a logged-in desk user.
type Session struct {
	ID   string // hash of the cookie's id, as stored
	User tip.User
	Key  *seal.Key
}

const (
	sessionIDLen     = 16
	sessionSecretLen = 32
)

// EnrolSessionTTL is how long an enrolment in progress lasts.
const EnrolSessionTTL = 15 * time.Minute

// StartSession stores a desk session after a full login and returns the
// cookie value that alone can open it. Each login gets a new value.
func (a *Service) StartSession(ctx context.Context, u tip.User, key *seal.Key) (string, error) {
	return a.startSession(ctx, u, key, store.SessionDesk, SessionTTL)
}

// StartEnrolSession stores a session that opens only the enrolment of a new
// second factor, after a login with the password and the enrolment code.
// It never becomes a desk session: completing the enrolment starts a new one.
func (a *Service) StartEnrolSession(ctx context.Context, u tip.User, key *seal.Key) (string, error) {
	return a.startSession(ctx, u, key, store.SessionEnrol, EnrolSessionTTL)
}

func (a *Service) startSession(ctx context.Context, u tip.User, key *seal.Key, kind string, ttl time.Duration) (string, error) {
	id, secret, cookie := newSessionValue()
	wrapped, err := seal.WrapToSecret(key, secret, "desk session")
	if err != nil {
		return "", err
	}
	if err := a.Store.CreateDeskSession(ctx, id, u.ID, kind, wrapped, a.now().Add(ttl)); err != nil {
		return "", err
	}
	return cookie, nil
}

// newSessionValue makes a random session value: the stored id (a hash of
// its first part), the secret that wraps the key (its second part), and
// the cookie holding both.
func newSessionValue() (id string, secret []byte, cookie string) {
	raw := make([]byte, sessionIDLen+sessionSecretLen)
	rand.Read(raw)
	return hashID(raw[:sessionIDLen]), raw[sessionIDLen:], base64.RawURLEncoding.EncodeToString(raw)
}

// parseSessionValue splits a cookie value made by newSessionValue.
func parseSessionValue(cookie string) (id string, secret []byte, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) != sessionIDLen+sessionSecretLen {
		return "", nil, false
	}
	return hashID(raw[:sessionIDLen]), raw[sessionIDLen:], true
}

// Session opens the desk session a cookie value names.
func (a *Service) Session(ctx context.Context, cookie string) (Session, error) {
	return a.session(ctx, cookie, store.SessionDesk)
}

// EnrolSession opens the enrolment session a cookie value names.
func (a *Service) EnrolSession(ctx context.Context, cookie string) (Session, error) {
	return a.session(ctx, cookie, store.SessionEnrol)
}

func (a *Service) session(ctx context.Context, cookie, kind string) (Session, error) {
	none := tip.Errorf(tip.CodeUnauthorized, "not logged in")
	id, secret, ok := parseSessionValue(cookie)
	if !ok {
		return Session{}, none
	}
	userID, wrapped, err := a.Store.DeskSession(ctx, id, kind)
	if err != nil {
		return Session{}, err
	}
	key, err := seal.UnwrapWithSecret(wrapped, secret, "desk session")
	if err != nil {
		return Session{}, none
	}
	u, err := a.Store.User(ctx, userID)
	if err != nil {
		return Session{}, err
	}
	// A reset ends every session; this refuses a desk session all the same
	// should one have raced with the reset.
	if kind == store.SessionDesk && !u.TOTPEnrolled {
		return Session{}, none
	}
	return Session{ID: id, User: u, Key: key}, nil
}

func hashID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
