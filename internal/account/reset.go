package account

import (
	"context"

	"tipline/internal/auth"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

// ResetPassword is an admin's reset of a forgotten password. It cannot
// recover the user's key — nothing can — so the user gets a new key pair and
// a new second factor, loses every tip key wrapped to the old one, and needs
// new grants for older tips. New tips of their offers reach the new key.
func (a *Service) ResetPassword(ctx context.Context, userID, password string) (Created, error) {
	if err := auth.CheckPolicy(password); err != nil {
		return Created{}, tip.Errorf(tip.CodeInvalid, "%v", err)
	}
	u, err := a.Store.User(ctx, userID)
	if err != nil {
		return Created{}, err
	}
	pw, wrapped, totpSealed, uri, err := a.newSecrets(ctx, &u, password)
	if err != nil {
		return Created{}, err
	}
	if err := a.Store.ResetPassword(ctx, userID, pw, u.PublicKey, wrapped, totpSealed); err != nil {
		return Created{}, err
	}
	return Created{User: u, TOTPURI: uri}, nil
}

// ResetSecondFactor replaces a user's TOTP secret, sealed to their public key
// (an admin needs no secret of theirs for that), and ends their sessions. At
// their next login, after the password, they enrol the new secret.
func (a *Service) ResetSecondFactor(ctx context.Context, userID string) error {
	u, err := a.Store.User(ctx, userID)
	if err != nil {
		return err
	}
	r, err := seal.ParseRecipient(u.PublicKey)
	if err != nil {
		return err
	}
	_, uri, err := auth.NewTOTP(Issuer, u.Name)
	if err != nil {
		return err
	}
	sealed, err := seal.SealBytes([]byte(uri), r)
	if err != nil {
		return err
	}
	return a.Store.ResetSecondFactor(ctx, userID, sealed)
}

// Enrolment returns the pending second factor's URI, for the QR code shown
// after a reset.
func (a *Service) Enrolment(ctx context.Context, u tip.User, key *seal.Key) (string, error) {
	_, sec, err := a.Store.UserByName(ctx, u.Name)
	if err != nil {
		return "", err
	}
	uri, err := seal.OpenBytes(sec.TOTPSealed, key)
	if err != nil {
		return "", err
	}
	return string(uri), nil
}

// ConfirmEnrolment checks a first code of the new second factor and puts it
// in use.
func (a *Service) ConfirmEnrolment(ctx context.Context, u tip.User, key *seal.Key, code string) error {
	_, sec, err := a.Store.UserByName(ctx, u.Name)
	if err != nil {
		return err
	}
	if err := a.checkCode(ctx, u, key, sec, code); err != nil {
		return err
	}
	return a.Store.ConfirmEnrolment(ctx, u.ID)
}

// Grant wraps a tip key the granter holds to another user: from the
// granter's session, or with the recovery identity on the command line.
func (a *Service) Grant(ctx context.Context, tipID string, tipKey *seal.Key, to tip.User) error {
	r, err := seal.ParseRecipient(to.PublicKey)
	if err != nil {
		return err
	}
	wrapped, err := seal.Wrap(tipKey, r)
	if err != nil {
		return err
	}
	return a.Store.GrantTipKey(ctx, tipID, to.Holder(), wrapped)
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
