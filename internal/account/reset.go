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
// Like a second-factor reset, it returns an enrolment code (in Created) that
// the user logs in with, with the new password, to enrol the new factor.
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
	code, hash := newEnrolCode(u.ID)
	if err := a.Store.ResetPassword(ctx, userID, pw, u.PublicKey, wrapped, totpSealed, hash, a.now().Add(EnrolCodeTTL)); err != nil {
		return Created{}, err
	}
	return Created{User: u, TOTPURI: uri, EnrolCode: code}, nil
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
