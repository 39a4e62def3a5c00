package web_test

import (
	"mime"
	"net/http/httptest"
	"strings"
	"testing"

	"tipline/internal/web"
)

// A download's name reaches the browser twice — ASCII for old clients, UTF-8
// for the rest — and neither way can it hide or reorder its characters,
// climb out of the download folder, or break out of the header.
func TestAttachmentNamesAreSafe(t *testing.T) {
	for _, c := range []struct{ name, ascii, utf8, typ string }{
		{"bridge-log.txt", "bridge-log.txt", "bridge-log.txt", "text/plain; charset=utf-8"},
		{"invoice\u202Etxt.exe", "invoice_u202Etxt.exe", "invoice_u202Etxt.exe", "application/octet-stream"},
		{`invoice\u202Etxt.exe`, "invoice_u202Etxt.exe", "invoice_u202Etxt.exe", "application/octet-stream"},
		{"선박 사진.jpg", "__ __.jpg", "선박 사진.jpg", "image/jpeg"},
		{"../../etc/passwd", "passwd", "passwd", "application/octet-stream"},
		{"..", "file", "file", "application/octet-stream"},
		{"a\"; filename=evil.html", "a__ filename=evil.html", "a__ filename=evil.html", "application/octet-stream"},
		{"line\r\nSet-Cookie: x=1.pdf", "line_u000D_u000ASet-Cookie_ x=1.pdf", "line_u000D_u000ASet-Cookie_ x=1.pdf", "application/pdf"},
		{"page.html", "page.html", "page.html", "application/octet-stream"},
		{".hidden\u200B", "hidden_u200B", "hidden_u200B", "application/octet-stream"},
	} {
		rec := httptest.NewRecorder()
		web.Attachment(rec, c.name, 42)
		h := rec.Header()
		cd := h.Get("Content-Disposition")
		if !strings.HasPrefix(cd, `attachment; filename="`+c.ascii+`"; filename*=UTF-8''`) {
			t.Errorf("%q: Content-Disposition %q, want the ASCII name %q", c.name, cd, c.ascii)
		}
		for i := 0; i < len(cd); i++ {
			if cd[i] < 0x20 || cd[i] > 0x7e {
				t.Errorf("%q: Content-Disposition %q holds a byte outside printable ASCII", c.name, cd)
				break
			}
		}
		disposition, params, err := mime.ParseMediaType(cd)
		if err != nil || disposition != "attachment" || params["filename"] != c.utf8 {
			t.Errorf("%q: Content-Disposition %q reads as %q %q (%v), want the name %q", c.name, cd, disposition, params["filename"], err, c.utf8)
		}
		if got := h.Get("Content-Type"); got != c.typ {
			t.Errorf("%q: Content-Type %q, want %q", c.name, got, c.typ)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" || h.Get("Content-Length") != "42" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%q: headers %v", c.name, h)
		}
	}
}
