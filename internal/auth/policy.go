package auth

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The password policy follows NIST SP 800-63B: length is what counts, so
// there are no composition rules (no "one digit, one symbol") and no forced
// expiry; spaces and any language are welcome; a password that attackers try
// first is refused. Lengths are counted in characters after NFKC
// normalisation, so a Korean or Chinese password is measured by what the
// user typed, not by its bytes.
const (
	minPasswordChars = 12
	maxPasswordChars = 1024
)

// Errors from CheckPolicy. They are sentinels so that the desk can translate
// them; their text tells the user what to do.
var (
	ErrPasswordTooShort   = errors.New("password is too short: use at least 12 characters; a few unrelated words make a long password that is easy to remember")
	ErrPasswordTooLong    = errors.New("password is too long: use at most 1024 characters")
	ErrPasswordEncoding   = errors.New("password contains invalid or control characters (such as a tab or a line break): use only characters you can type into the login form")
	ErrPasswordCommon     = errors.New("password is among the first that attackers try: choose something that is not a well-known password or keyboard pattern")
	ErrPasswordRepetitive = errors.New("password is a repeated or sequential run of characters (like aaaa or 1234): choose something less predictable")
)

// CheckPolicy reports whether password may be set, and if not, why. Call it
// before [Hasher.NewPassword] when a user chooses a password.
func CheckPolicy(password string) error {
	if !utf8.ValidString(password) {
		return ErrPasswordEncoding
	}
	pw := norm.NFKC.String(password)
	n := utf8.RuneCountInString(pw)
	switch {
	case n < minPasswordChars:
		return ErrPasswordTooShort
	case n > maxPasswordChars || len(pw) > maxPasswordBytes:
		return ErrPasswordTooLong
	case strings.ContainsFunc(pw, unicode.IsControl):
		return ErrPasswordEncoding
	case commonPasswords[strings.ToLower(pw)]:
		return ErrPasswordCommon
	case isRun(pw):
		return ErrPasswordRepetitive
	}
	return nil
}

// isRun reports whether s is one character repeated, or a sequence whose
// characters each go one up (abcdef…) or one down (987654…) from the last.
func isRun(s string) bool {
	rs := []rune(strings.ToLower(s))
	for _, step := range []rune{0, 1, -1} {
		run := true
		for i := 1; i < len(rs) && run; i++ {
			run = rs[i]-rs[i-1] == step
		}
		if run {
			return true
		}
	}
	return false
}

// commonPasswords is a small list of passwords of 12 characters or more that
// lead public breach-corpus frequency lists, plus keyboard walks, and names
// an attacker would try here. Shorter common passwords are already refused by
// length. Entries are lower case; the check ignores case.
var commonPasswords = map[string]bool{}

func init() {
	for _, pw := range strings.Fields(`
		123456789012 1234567890123 12345678901234 123456123456 123123123123
		112233445566 111222333444 098765432109 147258369147 123456789123
		123456789abc abc123456789 abcd12345678 1234567890qwerty 1234qwerasdf
		qwertyuiop12 qwertyuiop123 qwerty123456 qwertyuiopasdf qwertyuiopasdfghjkl
		qwertyuiop[] asdfghjkl123 zxcvbnm12345 qwerasdfzxcv 1q2w3e4r5t6y
		1q2w3e4r5t6y7u 1qaz2wsx3edc 1qaz2wsx3edc4rfv zaq12wsxcde3 qazwsxedcrfv
		!qaz2wsx#edc 1q2w3e4r5t6y7u8i9o0p q1w2e3r4t5y6 a1b2c3d4e5f6
		password1234 password123! password12345 password123456 passwordpassword
		p@ssw0rd1234 p@ssword1234 passw0rd1234 mypassword123 password1!password1!
		iloveyou1234 iloveyouiloveyou welcome12345 welcome123456 letmein12345
		changeme1234 changeme123! administrator administrator1 admin1234567
		adminadmin123 trustno1trustno1 football1234 baseball1234 superman1234
		princess1234 sunshine1234 starwars1234 monkey123456 dragon123456
		qwerty123456789 iloveyou123456 1234567890abc 12345678910111213
		tipline12345 tiplinetipline tipline123456 sanctions123 northkorea123
	`) {
		commonPasswords[pw] = true
	}
}
