package ident

import (
	"errors"
	"fmt"
)

// Sentinel errors. Parsers wrap them, so test with errors.Is; the typed
// errors below carry the details a form needs to explain the problem.
var (
	// ErrNotIMO means the input is not shaped like an IMO number at all.
	ErrNotIMO = errors.New("not an IMO number")
	// ErrIMOCheckDigit means seven digits whose last digit is not the ship
	// IMO check digit: a typo to show the writer, never a near match.
	ErrIMOCheckDigit = errors.New("wrong IMO check digit")
	// ErrNotMMSI means the input is not nine digits.
	ErrNotMMSI = errors.New("not an MMSI")
	// ErrNotShipMMSI means a valid MMSI that identifies something other
	// than a ship station (a coast station, a SAR aircraft, an AIS beacon…)
	// or a ship MMSI whose MID no country holds.
	ErrNotShipMMSI = errors.New("not a ship station MMSI")
	// ErrNotCallSign means the input cannot be a radio call sign.
	ErrNotCallSign = errors.New("not a call sign")
	// ErrNotWallet means the input has the shape of no address we know.
	ErrNotWallet = errors.New("not a wallet address")
	// ErrInvalidWallet means the input has the shape of an address of a
	// known currency but fails its validation.
	ErrInvalidWallet = errors.New("invalid wallet address")
	// ErrWalletChecksum is the commonest ErrInvalidWallet: a typo caught by
	// the address checksum.
	ErrWalletChecksum = fmt.Errorf("%w: checksum does not match", ErrInvalidWallet)
)

// Reasons an address of a recognised shape is refused; all wrap
// ErrInvalidWallet so that callers need only one test.
var (
	errChecksum        = ErrWalletChecksum
	errBech32Length    = fmt.Errorf("%w: wrong length", ErrInvalidWallet)
	errBech32Char      = fmt.Errorf("%w: character outside the alphabet", ErrInvalidWallet)
	errBech32MixedCase = fmt.Errorf("%w: mixed upper and lower case", ErrInvalidWallet)
	errBech32Separator = fmt.Errorf("%w: misplaced separator", ErrInvalidWallet)
	errBech32Program   = fmt.Errorf("%w: bad witness version or program", ErrInvalidWallet)
	errVersion         = fmt.Errorf("%w: unknown version byte", ErrInvalidWallet)
)

// CheckDigitError reports seven digits labelled as a ship IMO number whose
// check digit is wrong. Its message is meant to be shown to the writer.
type CheckDigitError struct {
	Digits string // the seven digits as written
	Want   byte   // the check digit the first six digits call for
}

func (e *CheckDigitError) Error() string {
	return fmt.Sprintf("the check digit of IMO %s is wrong (expected %c as the last digit) — please check the number", e.Digits, e.Want)
}

// Unwrap makes errors.Is(err, ErrIMOCheckDigit) true.
func (e *CheckDigitError) Unwrap() error { return ErrIMOCheckDigit }

// AddressError reports a wallet address that has the shape of a currency's
// address but fails validation.
type AddressError struct {
	Currency string // best guess from the shape, e.g. "XBT"
	Address  string // as written
	Err      error  // wraps ErrInvalidWallet, often ErrWalletChecksum
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("%s address %s: %v", e.Currency, e.Address, e.Err)
}

func (e *AddressError) Unwrap() error { return e.Err }
