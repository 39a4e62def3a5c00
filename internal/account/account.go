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
func (a *Service) Create(ctx context.Context, name, password string, roles []tip.Role, offers []string) (Created, error) {
	if err := tip.ValidateUser(name, roles); err != nil {
		return Created{}, err
	}
	if err := auth.CheckPolicy(password); err != nil {
		return Created{}, tip.Errorf(tip.CodeInvalid, "%v", err)
	}
	u := tip.User{ID: tip.NewID(), Name: name, Roles: roles, TOTPEnrolled: true}
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

// Login checks a name, password and second-factor code, and returns the user
// with their private key. Repeated failures are slowed, per account and
// overall, but a correct login is never refused. A disabled user cannot log
// in. When the user must enrol a new second factor (after a reset), Login
// returns ErrMustEnrol with the user and key, and the code is not checked.
func (a *Service) Login(ctx context.Context, name, password, code string) (tip.User, *seal.Key, error) {
	if err := a.Throttle.Wait(ctx, name); err != nil {
		return tip.User{}, nil, err
	}
	u, key, err := a.login(ctx, name, password, code)
	if err != nil && !errors.Is(err, ErrMustEnrol) {
		a.Throttle.Failed(name)
		return tip.User{}, nil, err
	}
	a.Throttle.Succeeded(name)
	return u, key, err
}

// ErrMustEnrol means the password was right and the user must now enrol a
// new second factor.
var ErrMustEnrol = errors.New("a new second factor must be enrolled")

func (a *Service) login(ctx context.Context, name, password, code string) (tip.User, *seal.Key, error) {
	u, key, err := a.checkPassword(ctx, name, password)
	if err != nil {
		return tip.User{}, nil, err
	}
	if !u.TOTPEnrolled {
		return u, key, ErrMustEnrol
	}
	_, sec, err := a.Store.UserByName(ctx, name)
	if err != nil {
		return tip.User{}, nil, err
	}
	if err := a.checkCode(ctx, u, key, sec, code); err != nil {
		return tip.User{}, nil, err
	}
	return u, key, nil
}

func (a *Service) checkCode(ctx context.Context, u tip.User, key *seal.Key, sec store.UserSecrets, code string) error {
	uri, err := seal.OpenBytes(sec.TOTPSealed, key)
	if err != nil {
		return err
	}
	otpKey, err := otp.NewKeyFromURL(string(uri))
	if err != nil {
		return fmt.Errorf("stored second factor is damaged: %w", err)
	}
	step, ok := auth.CheckTOTP(otpKey.Secret(), code, sec.TOTPLastStep, a.now())
	if !ok {
		return ErrBadLogin
	}
	if err := a.Store.UseTOTPStep(ctx, u.ID, step); err != nil {
		if errors.Is(err, tip.ErrReplayedCode) {
			return ErrBadLogin
		}
		return err
	}
	return nil
}

var dummy struct {
	password auth.Password
	ok       bool
}

func dummyPassword(h *auth.Hasher) auth.Password {
	if !dummy.ok {
		dummy.password, _, _ = h.NewPassword(context.Background(), "no such user, no such password")
		dummy.ok = true
	}
	return dummy.password
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

// StartSession stores a session and returns the cookie value that alone can
// open it.
func (a *Service) StartSession(ctx context.Context, u tip.User, key *seal.Key) (string, error) {
	raw := make([]byte, sessionIDLen+sessionSecretLen)
	rand.Read(raw)
	wrapped, err := seal.WrapToSecret(key, raw[sessionIDLen:], "desk session")
	if err != nil {
		return "", err
	}
	if err := a.Store.CreateDeskSession(ctx, hashID(raw[:sessionIDLen]), u.ID, wrapped, a.now().Add(SessionTTL)); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// Session opens the session a cookie value names.
func (a *Service) Session(ctx context.Context, cookie string) (Session, error) {
	none := tip.Errorf(tip.CodeUnauthorized, "not logged in")
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) != sessionIDLen+sessionSecretLen {
		return Session{}, none
	}
	id := hashID(raw[:sessionIDLen])
	userID, wrapped, err := a.Store.DeskSession(ctx, id)
	if err != nil {
		return Session{}, err
	}
	key, err := seal.UnwrapWithSecret(wrapped, raw[sessionIDLen:], "desk session")
	if err != nil {
		return Session{}, none
	}
	u, err := a.Store.User(ctx, userID)
	if err != nil {
		return Session{}, err
	}
	return Session{ID: id, User: u, Key: key}, nil
}

func hashID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
