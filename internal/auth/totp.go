package auth

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/text/unicode/norm"
)

// TOTP follows RFC 6238's defaults, which every authenticator app expects:
// HMAC-SHA-1, six digits, 30-second steps, a 160-bit secret.
const (
	totpPeriod = 30
	totpDigits = 6
	// totpSkew is how many steps either side of now a code may belong to:
	// one covers a phone clock 30 s off and a code typed as it changes.
	totpSkew = 1
)

var totpOpts = totp.ValidateOpts{
	Period:    totpPeriod,
	Digits:    otp.DigitsSix,
	Algorithm: otp.AlgorithmSHA1,
}

// NewTOTP makes a random TOTP secret (base32) for account and the otpauth://
// URI that enrols it in an authenticator app, where issuer is the name the
// app shows (e.g. "Tipline"). Store the secret sealed, like other secrets.
func NewTOTP(issuer, account string) (secret, uri string, err error) {
	if issuer == "" || account == "" {
		return "", "", errors.New("cannot make a TOTP secret: issuer and account name must not be empty")
	}
	if strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		// The URI's label is "issuer:account"; apps split it at the colon.
		return "", "", errors.New("cannot make a TOTP secret: issuer and account name must not contain a colon")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("failed to make a TOTP secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// stepAt returns the RFC 6238 time step that t falls in.
func stepAt(t time.Time) int64 {
	s := t.Unix()
	step := s / totpPeriod
	if s < 0 && s%totpPeriod != 0 {
		step-- // floor, not truncation, before 1970
	}
	return step
}

// CheckTOTP reports whether code is right for secret at now. It accepts the
// current step and one step either side, but never a step at or before
// lastStep: when ok, store the returned step as the account's new lastStep,
// so that the same code (or an older one) is never accepted again. Use 0 for
// an account that has never used a code. Spaces in code are ignored, and
// full-width digits are read as digits.
func CheckTOTP(secret, code string, lastStep int64, now time.Time) (step int64, ok bool) {
	typed, valid := parseCode(code)
	if !valid {
		return 0, false
	}
	current := stepAt(now)
	// Look at every step in the window, and return the latest that matches:
	// if a code happened to match two steps, returning the earlier would let
	// the same code be accepted again at the later one.
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false // a secret that is not base32: no code is right
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(typed)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}

// parseCode reads a typed code: six digits, with any spaces ignored and
// full-width or other compatibility digits folded to ASCII by NFKC.
func parseCode(code string) (string, bool) {
	if len(code) > 64 {
		return "", false
	}
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(code))
	if len(code) != totpDigits {
		return "", false
	}
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return "", false
		}
	}
	return code, true
}

// QRCodePNG renders uri (from [NewTOTP]) as a size×size PNG QR code, with the
// white quiet zone around it that scanners need, for the enrolment page. The
// image is served by the desk itself: the secret must never reach a
// third-party QR service.
func QRCodePNG(uri string, size int) ([]byte, error) {
	if size < 64 || size > 4096 {
		return nil, fmt.Errorf("cannot render QR code: size %d is out of range; use 64 to 4096 pixels", size)
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("cannot render QR code: %w", err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") {
		return nil, errors.New("cannot render QR code: not an otpauth://totp/ URI; pass the URI NewTOTP returned")
	}
	margin := size / 10
	code, err := key.Image(size-2*margin, size-2*margin)
	if err != nil {
		return nil, fmt.Errorf("cannot render QR code at %d pixels (the URI is too long for that size; use a larger one): %w", size, err)
	}
	img := image.NewGray(image.Rect(0, 0, size, size))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, code.Bounds().Add(image.Pt(margin, margin)), code, code.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("failed to encode QR code: %w", err)
	}
	return buf.Bytes(), nil
}
