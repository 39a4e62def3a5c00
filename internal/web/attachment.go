package web

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"tipline/internal/visible"
)

// Attachment sets the headers of a file sent as a download: never rendered
// inline, never with a type a browser would run as a page, never cached, and
// under a name that can neither smuggle a path or a header nor hide or
// reorder its own characters (see SafeFileName). The name goes twice: as an
// ASCII filename= for old clients and as UTF-8 in filename*= (RFC 6266).
func Attachment(w http.ResponseWriter, name string, size int64) {
	safe := SafeFileName(name)
	h := w.Header()
	h.Set("Content-Type", safeContentType(safe))
	h.Set("Content-Disposition", `attachment; filename="`+asciiFallback(safe)+`"; filename*=UTF-8''`+percentEncode(safe))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", fmt.Sprint(size))
	NoStore(w)
}

// SafeFileName is a name someone else chose made fit to save a file under:
// the base of its path, its characters that hide or reorder text escaped
// (visible.Escape), the marks that shells, headers and file systems treat
// specially replaced by '_' (the escapes' backslashes too), and no leading dot
// or space.
func SafeFileName(name string) string {
	out := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\"'<>:;|?*%`, r) {
			return '_'
		}
		return r
	}, visible.Escape(path.Base(name)))
	out = strings.TrimLeft(out, ". ")
	if out == "" {
		out = "file"
	}
	return out
}

// asciiFallback keeps the printable ASCII of a safe name; the rest becomes '_'.
func asciiFallback(safe string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, safe)
}

// percentEncode writes a name as RFC 5987's value-chars: attr-chars as they
// are, every other byte of its UTF-8 as %XX.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// safeContentType never names a type a browser would render as a page.
func safeContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".pdf":
		return "application/pdf"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}
