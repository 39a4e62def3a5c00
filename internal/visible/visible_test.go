package visible_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tipline/internal/visible"
)

func TestEscapeShowsWhatHidesOrReorders(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"invoice\u202Etxt.exe", `invoice\u202Etxt.exe`},
		{"a\u202Ab\u202Bc\u202Cd\u202De", `a\u202Ab\u202Bc\u202Cd\u202De`},
		{"\u2066isolate\u2069\u2067\u2068", `\u2066isolate\u2069\u2067\u2068`},
		{"mark\u200E\u200F\u061C", `mark\u200E\u200F\u061C`},
		{"zero\u200Bwidth\u200C\u200D\u2060\uFEFF", `zero\u200Bwidth\u200C\u200D\u2060\uFEFF`},
		{"nul\x00tab\tnl\ndel\x7f", `nul\u0000tab\u0009nl\u000Adel\u007F`},
		{"c1\u0085\u009b", `c1\u0085\u009B`},
		{"line\u2028para\u2029", `line\u2028para\u2029`},
		{"tag\U000E0041", `tag\U000E0041`},
		{"\u3164\u115F\u1160\uFFA0", `\u3164\u115F\u1160\uFFA0`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		// Names in the site's languages, and marks that are drawn, stay.
		{"선박 사진.jpg", "선박 사진.jpg"},
		{"船舶照片.png", "船舶照片.png"},
		{"фото судна.pdf", "фото судна.pdf"},
		{"café — «report» 1.txt", "café — «report» 1.txt"},
	} {
		got := visible.Escape(c.in)
		if got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if visible.Hidden(got) {
			t.Errorf("Escape(%q) = %q still hides something", c.in, got)
		}
		if visible.Hidden(c.in) != (c.in != c.want) {
			t.Errorf("Hidden(%q) = %v", c.in, visible.Hidden(c.in))
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"invoice\u202Etxt.exe", "선박.jpg", "\xff\x00", `\u202E`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := visible.Escape(s)
		if !utf8.ValidString(got) || visible.Hidden(got) {
			t.Fatalf("Escape(%q) = %q hides something", s, got)
		}
		if again := visible.Escape(got); again != got {
			t.Fatalf("Escape is not stable: %q then %q", got, again)
		}
		// Everything drawn is kept, in order.
		rest := got
		for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
			if visible.Hides(r) {
				continue
			}
			i := strings.IndexRune(rest, r)
			if i < 0 {
				t.Fatalf("Escape(%q) = %q lost %q", s, got, r)
			}
			rest = rest[i+utf8.RuneLen(r):]
		}
	})
}
