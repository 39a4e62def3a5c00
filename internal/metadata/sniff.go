package metadata

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// Kind is the broad class of a file, which decides what Tipline does with it.
type Kind uint8

const (
	KindOther Kind = iota // may carry metadata Tipline cannot remove; sent only as is, with consent
	KindJPEG              // cleaned by CleanJPEG
	KindPNG               // cleaned by CleanPNG
	KindPDF               // cleaned by CleanPDF
	KindText              // plain UTF-8 text: carries no metadata
)

// Type is what Sniff found: a kind and a human description such as "Word document (DOCX)".
type Type struct {
	Kind      Kind
	Name      string // English description for the confirmation page
	MediaType string // a MIME type, "application/octet-stream" when unknown
}

// The types of the kinds Tipline handles itself.
var (
	JPEG = Type{KindJPEG, "JPEG image", "image/jpeg"}
	PNG  = Type{KindPNG, "PNG image", "image/png"}
	PDF  = Type{KindPDF, "PDF document", "application/pdf"}
	Text = Type{KindText, "plain text", "text/plain; charset=utf-8"}
)

// String returns the description.
func (t Type) String() string { return t.Name }

// Cleanable reports whether Tipline can inspect and remove metadata from files of this type.
func (t Type) Cleanable() bool {
	return t.Kind == KindJPEG || t.Kind == KindPNG || t.Kind == KindPDF
}

// CarriesNoMetadata reports whether files of this type hold nothing but their content
// (plain text). Such a file must still be read through CopyText, which checks the rest.
func (t Type) CarriesNoMetadata() bool { return t.Kind == KindText }

// NeedsAsIsConsent reports whether a file of this type may be accepted only when the
// source has ticked "send my other files as they are".
func (t Type) NeedsAsIsConsent() bool { return !t.Cleanable() && !t.CarriesNoMetadata() }

// SniffLen is how many leading bytes Sniff looks at.
const SniffLen = 512

// Sniff identifies a file from its first bytes (up to SniffLen are used). The name is a
// hint only, used to tell apart containers that look alike (a ZIP file may be a DOCX or an
// EPUB); it never makes a file JPEG, PNG, PDF or Text.
func Sniff(name string, head []byte) Type {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	}
	if t, ok := sniffBinary(head, ext); ok {
		return t
	}
	if t, ok := sniffMarkup(head, ext); ok {
		return t
	}
	if isText(head) {
		return Text
	}
	return other("file of an unknown type", "application/octet-stream")
}

func other(name, mediaType string) Type { return Type{KindOther, name, mediaType} }

type signature struct {
	offset int
	magic  string
	name   string
	media  string
}

// signatures of common formats that can carry metadata, checked in order.
var signatures = []signature{
	{0, "GIF87a", "GIF image", "image/gif"},
	{0, "GIF89a", "GIF image", "image/gif"},
	{0, "II*\x00", "TIFF image (or camera raw)", "image/tiff"},
	{0, "MM\x00*", "TIFF image (or camera raw)", "image/tiff"},
	{0, "BM", "BMP image", "image/bmp"},
	{0, "8BPS", "Photoshop image (PSD)", "image/vnd.adobe.photoshop"},
	{0, "\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000 image", "image/jp2"},
	{0, "\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL image", "image/jxl"},
	{0, "\xff\x0a", "JPEG XL image", "image/jxl"},
	{0, "\x00\x00\x01\x00", "icon (ICO)", "image/x-icon"},
	{0, "\x1a\x45\xdf\xa3", "Matroska or WebM video", "video/x-matroska"},
	{0, "OggS", "Ogg audio or video", "audio/ogg"},
	{0, "fLaC", "FLAC audio", "audio/flac"},
	{0, "ID3", "MP3 audio", "audio/mpeg"},
	{0, "#!AMR", "AMR audio (voice recording)", "audio/amr"},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (legacy .doc, .xls or .ppt) or Outlook message", "application/x-ole-storage"},
	{0, "{\\rtf", "RTF document", "application/rtf"},
	{0, "%!PS", "PostScript document", "application/postscript"},
	{0, "7z\xbc\xaf\x27\x1c", "7-Zip archive", "application/x-7z-compressed"},
	{0, "Rar!\x1a\x07", "RAR archive", "application/vnd.rar"},
	{0, "\x1f\x8b", "gzip archive", "application/gzip"},
	{0, "BZh", "bzip2 archive", "application/x-bzip2"},
	{0, "\xfd7zXZ\x00", "xz archive", "application/x-xz"},
	{0, "SQLite format 3\x00", "SQLite database", "application/vnd.sqlite3"},
	{0, "\x7fELF", "program (ELF)", "application/octet-stream"},
	{0, "MZ", "Windows program", "application/octet-stream"},
	{257, "ustar", "tar archive", "application/x-tar"},
}

// sniffBinary recognises binary formats: containers first, then plain signatures.
func sniffBinary(head []byte, ext string) (Type, bool) {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return sniffZip(head, ext), true
	}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		return sniffISOBMFF(string(head[8:12])), true
	}
	if len(head) >= 8 {
		switch string(head[4:8]) {
		case "moov", "mdat", "wide", "free", "skip", "pnot":
			return other("QuickTime video", "video/quicktime"), true
		}
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" {
		switch string(head[8:12]) {
		case "WEBP":
			return other("WebP image", "image/webp"), true
		case "AVI ":
			return other("AVI video", "video/x-msvideo"), true
		case "WAVE":
			return other("WAV audio", "audio/wav"), true
		}
		return other("RIFF media file", "application/octet-stream"), true
	}
	for _, s := range signatures {
		if len(head) >= s.offset+len(s.magic) && string(head[s.offset:s.offset+len(s.magic)]) == s.magic {
			return other(s.name, s.media), true
		}
	}
	if len(head) >= 2 && head[0] == 0xff && head[1]&0xe0 == 0xe0 && (ext == ".mp3" || ext == ".aac") {
		return other("MP3 or AAC audio", "audio/mpeg"), true
	}
	return Type{}, false
}

// zipTypes maps a file name extension to the ZIP-based format it names.
var zipTypes = map[string]Type{
	".docx":  other("Word document (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
	".xlsx":  other("Excel spreadsheet (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
	".pptx":  other("PowerPoint presentation (PPTX)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
	".odt":   other("OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text"),
	".ods":   other("OpenDocument spreadsheet (ODS)", "application/vnd.oasis.opendocument.spreadsheet"),
	".odp":   other("OpenDocument presentation (ODP)", "application/vnd.oasis.opendocument.presentation"),
	".epub":  other("EPUB e-book", "application/epub+zip"),
	".apk":   other("Android app (APK)", "application/vnd.android.package-archive"),
	".jar":   other("Java archive (JAR)", "application/java-archive"),
	".kmz":   other("Google Earth file (KMZ)", "application/vnd.google-earth.kmz"),
	".pages": other("Apple Pages document", "application/zip"),
}

// sniffZip tells ZIP-based formats apart: by the first entry's name (an OOXML package
// starts with [Content_Types].xml, OpenDocument and EPUB with a "mimetype" entry), then
// by the file name's extension.
func sniffZip(head []byte, ext string) Type {
	var first string
	if len(head) >= 30 {
		n := int(head[26]) | int(head[27])<<8
		if 30+n <= len(head) {
			first = string(head[30 : 30+n])
		}
	}
	if first == "mimetype" {
		rest := string(head[30+len(first):])
		for _, e := range []string{".odt", ".ods", ".odp", ".epub"} {
			if strings.Contains(rest, zipTypes[e].MediaType) {
				return zipTypes[e]
			}
		}
	}
	if t, ok := zipTypes[ext]; ok {
		return t
	}
	switch {
	case first == "[Content_Types].xml", strings.HasPrefix(first, "word/"), strings.HasPrefix(first, "xl/"),
		strings.HasPrefix(first, "ppt/"), strings.HasPrefix(first, "docProps/"), strings.HasPrefix(first, "_rels/"):
		return other("Microsoft Office document (DOCX, XLSX or PPTX)", "application/zip")
	}
	return other("ZIP archive", "application/zip")
}

// sniffISOBMFF names a file of the ISO base media family (MP4, MOV, HEIC, AVIF, 3GP) by its brand.
func sniffISOBMFF(brand string) Type {
	switch {
	case brand == "heic", brand == "heix", brand == "hevc", brand == "heim", brand == "heis", brand == "mif1", brand == "msf1":
		return other("HEIC image", "image/heic")
	case brand == "avif", brand == "avis":
		return other("AVIF image", "image/avif")
	case brand == "qt  ":
		return other("QuickTime video", "video/quicktime")
	case strings.HasPrefix(brand, "3g"):
		return other("3GP video", "video/3gpp")
	case brand == "M4A ", brand == "M4B ":
		return other("MPEG-4 audio (M4A)", "audio/mp4")
	case brand == "crx ":
		return other("Canon raw image (CR3)", "image/x-canon-cr3")
	}
	return other("MP4 video", "video/mp4")
}

// sniffMarkup recognises text formats that can carry metadata (authors in HTML meta tags,
// XMP in SVG, Received: headers in e-mail) so that they are not taken for plain text.
func sniffMarkup(head []byte, ext string) (Type, bool) {
	s := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	s = bytes.TrimLeft(s, " \t\r\n")
	lower := strings.ToLower(string(s))
	switch {
	case strings.Contains(lower, "%pdf-"):
		return other("PDF document with data before its header", "application/pdf"), true
	case strings.Contains(lower, "<svg"):
		return other("SVG image", "image/svg+xml"), true
	case strings.HasPrefix(lower, "<!doctype html"), strings.HasPrefix(lower, "<html"),
		strings.Contains(lower, "<head"), strings.Contains(lower, "<body"):
		return other("web page (HTML)", "text/html"), true
	case strings.HasPrefix(lower, "<?xml"):
		return other("XML document", "application/xml"), true
	case ext == ".eml", ext == ".msg", ext == ".mbox", looksLikeMail(lower):
		return other("e-mail message", "message/rfc822"), true
	case ext == ".vcf", strings.HasPrefix(lower, "begin:vcard"):
		return other("contact card (vCard)", "text/vcard"), true
	case ext == ".ics", strings.HasPrefix(lower, "begin:vcalendar"):
		return other("calendar file (iCalendar)", "text/calendar"), true
	case ext == ".gpx", ext == ".kml":
		return other("GPS track or map file", "application/octet-stream"), true
	}
	return Type{}, false
}

func looksLikeMail(s string) bool {
	for _, h := range []string{"received:", "return-path:", "delivered-to:", "mime-version:", "from ", "x-mozilla-status:"} {
		if strings.HasPrefix(s, h) {
			return true
		}
	}
	return false
}

// isText reports whether head is valid UTF-8 without NULs or other control characters
// than tab, newline, carriage return and form feed. A rune cut at the end of head is allowed.
func isText(head []byte) bool {
	bad := firstNonText(head)
	return bad < 0 || len(head)-bad < utf8.UTFMax && !utf8.FullRune(head[bad:])
}

func textByte(c byte) bool {
	return c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
