package auth

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestPasswordStringRoundTrip(t *testing.T) {
	rec := Password{
		Params:   DefaultParams,
		Salt:     []byte("sixteen byte slt"),
		Verifier: bytes.Repeat([]byte{0xa5}, 32),
	}
	const want = "$argon2id$v=19$m=65536,t=3,p=2$c2l4dGVlbiBieXRlIHNsdA$paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU"
	if got := rec.String(); got != want {
		t.Fatalf("String() = %s\nwant       %s", got, want)
	}
	back, err := ParsePassword(want)
	if err != nil {
		t.Fatal(err)
	}
	if back.Params != rec.Params || !bytes.Equal(back.Salt, rec.Salt) || !bytes.Equal(back.Verifier, rec.Verifier) {
		t.Fatalf("ParsePassword(String()) = %+v, want %+v", back, rec)
	}
}

func TestParsePasswordRefuses(t *testing.T) {
	const salt, ver = "c2l4dGVlbiBieXRlIHNsdA", "paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU"
	for name, s := range map[string]string{
		"empty":              "",
		"bcrypt":             "$2b$12$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
		"argon2i":            "$argon2i$v=19$m=65536,t=3,p=2$" + salt + "$" + ver,
		"version 16":         "$argon2id$v=16$m=65536,t=3,p=2$" + salt + "$" + ver,
		"no version":         "$argon2id$m=65536,t=3,p=2$" + salt + "$" + ver,
		"order t,m,p":        "$argon2id$v=19$t=3,m=65536,p=2$" + salt + "$" + ver,
		"leading zero":       "$argon2id$v=19$m=065536,t=3,p=2$" + salt + "$" + ver,
		"plus sign":          "$argon2id$v=19$m=+65536,t=3,p=2$" + salt + "$" + ver,
		"threads overflow":   "$argon2id$v=19$m=65536,t=3,p=256$" + salt + "$" + ver,
		"memory 2 GiB":       "$argon2id$v=19$m=2097152,t=3,p=2$" + salt + "$" + ver,
		"padded base64":      "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "==$" + ver,
		"url base64":         "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + strings.ReplaceAll(ver, "p", "-"),
		"short verifier":     "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + ver[:20],
		"short salt":         "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$" + ver,
		"extra field":        "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + ver + "$",
		"trailing newline":   "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + ver + "\n",
		"non-canonical tail": "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + ver[:len(ver)-1] + "V",
	} {
		if _, err := ParsePassword(s); !errors.Is(err, ErrBadRecord) {
			t.Errorf("%s: ParsePassword(%q) = %v, want ErrBadRecord", name, s, err)
		}
	}
}

func TestPasswordNotLogged(t *testing.T) {
	var buf bytes.Buffer
	rec := Password{Params: DefaultParams, Salt: []byte("sixteen byte slt"), Verifier: make([]byte, 32)}
	slog.New(slog.NewTextHandler(&buf, nil)).Info("login", "password", rec)
	if strings.Contains(buf.String(), "argon2id$") {
		t.Fatalf("record reached the log: %s", buf.String())
	}
}

// FuzzParsePassword feeds ParsePassword what a damaged or hostile database
// could hold: it must never panic, and whatever it accepts must be a usable
// record that formats back to exactly the same text.
func FuzzParsePassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2l4dGVlbiBieXRlIHNsdA$paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$NzVEcDpW21H9PvefBoTXmahBe4H4ppq4FEvchbh2EgQ")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := ParsePassword(s)
		if err != nil {
			if !errors.Is(err, ErrBadRecord) {
				t.Fatalf("error %v does not wrap ErrBadRecord", err)
			}
			return
		}
		if err := rec.validate(); err != nil {
			t.Fatalf("accepted an unusable record: %v", err)
		}
		if got := rec.String(); got != s {
			t.Fatalf("ParsePassword(%q).String() = %q", s, got)
		}
	})
}
