package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The record format is the PHC string format used by argon2's reference
// implementation: unpadded standard base64, parameters in the order m, t, p.
// argon2.Version (19) is the only version golang.org/x/crypto/argon2 computes.
const argon2Version = argon2.Version

var b64 = base64.RawStdEncoding.Strict()

// ErrBadRecord means a stored password record could not be read.
var ErrBadRecord = errors.New("malformed password record: expected $argon2id$v=19$m=…,t=…,p=…$<salt>$<verifier>; reset the password if it was damaged")

// String returns the record in PHC form,
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<verifier>.
func (p Password) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2Version, p.Params.MemoryKiB, p.Params.Time, p.Params.Threads,
		b64.EncodeToString(p.Salt), b64.EncodeToString(p.Verifier))
}

// ParsePassword reads a record written by [Password.String]. It accepts only
// the canonical form, so that a record parses back to the same text, and
// refuses parameters out of the ranges [Params.Validate] allows.
func ParsePassword(s string) (Password, error) {
	fields := strings.Split(s, "$")
	if len(fields) != 6 || fields[0] != "" || fields[1] != "argon2id" {
		return Password{}, ErrBadRecord
	}
	if fields[2] != "v="+strconv.Itoa(argon2Version) {
		return Password{}, fmt.Errorf("%w (unsupported version %q)", ErrBadRecord, fields[2])
	}
	params := strings.Split(fields[3], ",")
	if len(params) != 3 {
		return Password{}, ErrBadRecord
	}
	m, err1 := parseParam(params[0], "m=", 32)
	t, err2 := parseParam(params[1], "t=", 32)
	p, err3 := parseParam(params[2], "p=", 8)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Password{}, fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	salt, err := b64.DecodeString(fields[4])
	if err != nil {
		return Password{}, fmt.Errorf("%w: salt: %w", ErrBadRecord, err)
	}
	verifier, err := b64.DecodeString(fields[5])
	if err != nil {
		return Password{}, fmt.Errorf("%w: verifier: %w", ErrBadRecord, err)
	}
	rec := Password{
		Params:   Params{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(p)},
		Salt:     salt,
		Verifier: verifier,
	}
	if err := rec.validate(); err != nil {
		return Password{}, fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	// The base64 decoder skips line breaks; anything else that is not
	// canonical has been refused above. Insist on the exact text.
	if rec.String() != s {
		return Password{}, fmt.Errorf("%w: not in canonical form", ErrBadRecord)
	}
	return rec, nil
}

// parseParam reads "name=decimal" with no sign and no leading zero.
func parseParam(s, name string, bits int) (uint64, error) {
	digits, ok := strings.CutPrefix(s, name)
	if !ok || digits == "" || (digits[0] == '0' && len(digits) > 1) || digits[0] == '+' {
		return 0, fmt.Errorf("parameter %q: want %sN", s, name)
	}
	v, err := strconv.ParseUint(digits, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("parameter %q: %w", s, err)
	}
	return v, nil
}
