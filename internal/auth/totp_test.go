package auth

import (
	"bytes"
	"image/png"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/testenv"
)

// rfcSecret is the SHA-1 seed of RFC 6238 appendix B, "12345678901234567890",
// in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// rfcVectors are RFC 6238 appendix B's SHA-1 rows. The RFC prints 8 digits;
// a 6-digit code is the same value modulo 10⁶, so its last six digits.
var rfcVectors = []struct {
	unix  int64
	code8 string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestTOTPRFC6238Vectors(t *testing.T) {
	for _, v := range rfcVectors {
		t.Run(strconv.FormatInt(v.unix, 10), func(t *testing.T) {
			now := time.Unix(v.unix, 0)
			// The 8-digit row, straight from the library, pins the adaptation.
			code8, err := totp.GenerateCodeCustom(rfcSecret, now, totp.ValidateOpts{Digits: otp.DigitsEight})
			if err != nil || code8 != v.code8 {
				t.Fatalf("8-digit code = %q, %v; want %s", code8, err, v.code8)
			}
			step, ok := CheckTOTP(rfcSecret, v.code8[2:], 0, now)
			if !ok || step != v.unix/30 {
				t.Fatalf("CheckTOTP(%s) = %d, %v; want %d, true", v.code8[2:], step, ok, v.unix/30)
			}
		})
	}
}

// TestTOTPMatchesOathtool cross-checks with oathtool, an independent
// implementation, when it is installed.
func TestTOTPMatchesOathtool(t *testing.T) {
	oathtool := testenv.Need(t, "oathtool")
	secret, _, err := NewTOTP("Tipline", "analyst")
	if err != nil {
		t.Fatal(err)
	}
	for _, unix := range []int64{59, 1700000000, 1700000029, 1700000030, 4102444800} {
		out, err := exec.Command(oathtool, "--totp", "--base32", "--now=@"+strconv.FormatInt(unix, 10), secret).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		code := strings.TrimSpace(string(out))
		if step, ok := CheckTOTP(secret, code, 0, time.Unix(unix, 0)); !ok || step != unix/30 {
			t.Errorf("at %d oathtool says %s; CheckTOTP = %d, %v", unix, code, step, ok)
		}
	}
}

func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestCheckTOTP(t *testing.T) {
	secret, _, err := NewTOTP("Tipline", "analyst")
	if err != nil {
		t.Fatal(err)
	}
	const now = 56666666 // a step number
	at := time.Unix(now*30+17, 0)
	cur := codeAt(t, secret, now)
	wrong := strconv.Itoa(1_000_000 + (mustAtoi(t, cur)+1)%1_000_000)[1:]
	for _, tc := range []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current step", cur, 0, now, true},
		{"previous step (clock behind)", codeAt(t, secret, now-1), 0, now - 1, true},
		{"next step (clock ahead)", codeAt(t, secret, now+1), 0, now + 1, true},
		{"two steps behind", codeAt(t, secret, now-2), 0, 0, false},
		{"two steps ahead", codeAt(t, secret, now+2), 0, 0, false},
		{"replay of the same code", cur, now, 0, false},
		{"older code after a newer one", codeAt(t, secret, now-1), now, 0, false},
		{"current code after previous used", cur, now - 1, now, true},
		{"wrong code", wrong, 0, 0, false},
		{"spaces", cur[:3] + " " + cur[3:] + " ", 0, now, true},
		{"full-width digits", toFullWidth(cur), 0, now, true},
		{"five digits", cur[:5], 0, 0, false},
		{"seven digits", cur + "0", 0, 0, false},
		{"letters", "abcdef", 0, 0, false},
		{"empty", "", 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := CheckTOTP(secret, tc.code, tc.lastStep, at)
			if step != tc.wantStep || ok != tc.wantOK {
				t.Fatalf("CheckTOTP(%q, last %d) = %d, %v; want %d, %v", tc.code, tc.lastStep, step, ok, tc.wantStep, tc.wantOK)
			}
		})
	}
}

func TestCheckTOTPBadSecret(t *testing.T) {
	if _, ok := CheckTOTP("not base32!", "123456", 0, time.Now()); ok {
		t.Fatal("accepted a code for an invalid secret")
	}
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune { return r - '0' + '０' }, s)
}

func TestNewTOTP(t *testing.T) {
	secret, uri, err := NewTOTP("Tipline", "kim.analyst")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || q.Get("secret") != secret ||
		q.Get("issuer") != "Tipline" || q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Fatalf("unexpected URI %s", uri)
	}
	if len(secret) != 32 { // 160 bits in base32
		t.Fatalf("secret %q is not 160 bits", secret)
	}
	for _, bad := range [][2]string{{"", "a"}, {"Tipline", ""}, {"Tip:line", "a"}, {"Tipline", "a:b"}} {
		if _, _, err := NewTOTP(bad[0], bad[1]); err == nil {
			t.Errorf("NewTOTP(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

func TestQRCodePNG(t *testing.T) {
	_, uri, err := NewTOTP("Tipline", "kim.analyst")
	if err != nil {
		t.Fatal(err)
	}
	data, err := QRCodePNG(uri, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("image is %v, want 256×256", b)
	}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
				if x < 25 || y < 25 || x >= 231 || y >= 231 {
					t.Fatalf("dark pixel at (%d,%d) in the quiet zone", x, y)
				}
			}
		}
	}
	if dark == 0 {
		t.Fatal("no code drawn")
	}
	for _, size := range []int{0, 63, 4097} {
		if _, err := QRCodePNG(uri, size); err == nil {
			t.Errorf("size %d accepted", size)
		}
	}
	if _, err := QRCodePNG("https://example.org/", 256); err == nil {
		t.Error("a non-otpauth URI was rendered")
	}
}

// FuzzTOTPCode feeds the code parser whatever a login form could send.
func FuzzTOTPCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "１２３４５６", " 12 34 56 ", "12345", "abcdef", "١٢٣٤٥٦", "\u00a0123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		CheckTOTP(rfcSecret, s, 0, time.Unix(1234567890, 0))
		code, ok := parseCode(s)
		if !ok {
			return
		}
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("parseCode(%q) = %q, not six ASCII digits", s, code)
		}
		// Surrounding spaces never change the reading.
		if len(s) > 60 {
			return // past the length limit, padding may tip it over
		}
		if again, ok2 := parseCode(" " + s + " "); !ok2 || again != code {
			t.Fatalf("parseCode with spaces = %q, %v; want %q", again, ok2, code)
		}
	})
}

func BenchmarkCheckTOTP(b *testing.B) {
	now := time.Unix(1234567890, 0)
	for b.Loop() {
		if _, ok := CheckTOTP(rfcSecret, "005924", 0, now); !ok {
			b.Fatal("rejected")
		}
	}
}
