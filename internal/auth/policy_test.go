package auth

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckPolicy(t *testing.T) {
	for _, tc := range []struct {
		password string
		want     error
	}{
		{"correct horse battery staple", nil},
		{"tr0ub4dor&3x", nil},
		{"비밀번호는길게쓰세요", ErrPasswordTooShort}, // ten characters, though thirty bytes
		{"비밀번호는 길게 써야 안전합니다", nil},
		{"пароль должен быть длинным", nil},
		{"密码要长一些才安全好记吗", nil}, // twelve characters
		{"short", ErrPasswordTooShort},
		{"elevenchars", ErrPasswordTooShort},
		{"ｆｕｌｌｗｉｄｔｈｐａｓｓ", nil},
		{strings.Repeat("long enough ", 86), ErrPasswordTooLong}, // 1032 characters
		{strings.Repeat("long enough ", 85), nil},                // 1020 characters
		{"Password1234", ErrPasswordCommon},
		{"QWERTY123456", ErrPasswordCommon},
		{"ｐａｓｓｗｏｒｄ１２３４", ErrPasswordCommon}, // full-width is folded first
		{"aaaaaaaaaaaaaaaa", ErrPasswordRepetitive},
		{"abcdefghijklmn", ErrPasswordRepetitive},
		{"ZYXWVUTSRQPONM", ErrPasswordRepetitive},
		{"tab\tinside password", ErrPasswordEncoding},
		{"newline at the end\n", ErrPasswordEncoding},
		{"invalid \xff utf-8 here", ErrPasswordEncoding},
	} {
		if err := CheckPolicy(tc.password); !errors.Is(err, tc.want) {
			t.Errorf("CheckPolicy(%.30q) = %v, want %v", tc.password, err, tc.want)
		}
	}
}

// TestCommonPasswordsList keeps the list meaningful: every entry is lower
// case (the check folds case) and long enough that length alone would not
// refuse it.
func TestCommonPasswordsList(t *testing.T) {
	for pw := range commonPasswords {
		if pw != strings.ToLower(pw) || utf8.RuneCountInString(pw) < minPasswordChars {
			t.Errorf("list entry %q is upper case or shorter than %d", pw, minPasswordChars)
		}
	}
}

// TestPolicyErrorsSayWhatToDo: every error is lower case and gives advice.
func TestPolicyErrorsSayWhatToDo(t *testing.T) {
	for _, err := range []error{ErrPasswordTooShort, ErrPasswordTooLong, ErrPasswordEncoding, ErrPasswordCommon, ErrPasswordRepetitive} {
		msg := err.Error()
		if msg != strings.ToLower(msg[:1])+msg[1:] || !strings.Contains(msg, ": ") {
			t.Errorf("%q should be lower case and say what to do after a colon", msg)
		}
	}
}
