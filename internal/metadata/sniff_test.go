package metadata

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSniff(t *testing.T) {
	zipEntry := func(name string) string {
		return "PK\x03\x04" + strings.Repeat("\x00", 22) + string(rune(len(name))) + "\x00\x00\x00" + name
	}
	tests := []struct {
		name, head string
		kind       Kind
		desc       string
	}{
		{"photo.jpg", "\xFF\xD8\xFF\xE1", KindJPEG, "JPEG image"},
		{"photo.txt", "\xFF\xD8\xFF\xE0", KindJPEG, "JPEG image"}, // the name is only a hint
		{"scan.png", "\x89PNG\r\n\x1a\n", KindPNG, "PNG image"},
		{"manifest.pdf", "%PDF-1.4\n", KindPDF, "PDF document"},
		{"notes.txt", "Vessel CHON MA SAN, IMO 8660313\n선박 이름\r\n", KindText, "plain text"},
		{"empty.txt", "", KindText, "plain text"},
		{"cut.txt", "abc \xec\x84", KindText, "plain text"}, // a rune cut by the 512-byte head
		{"nul.txt", "abc\x00def", KindOther, "file of an unknown type"},
		{"latin1.txt", "caf\xe9 au lait", KindOther, "file of an unknown type"},
		{"report.docx", zipEntry("[Content_Types].xml"), KindOther, "Word document (DOCX)"},
		{"report.bin", zipEntry("[Content_Types].xml"), KindOther, "Microsoft Office document (DOCX, XLSX or PPTX)"},
		{"book.xlsx", zipEntry("docProps/app.xml"), KindOther, "Excel spreadsheet (XLSX)"},
		{"a.odt", zipEntry("mimetype") + "application/vnd.oasis.opendocument.text", KindOther, "OpenDocument text (ODT)"},
		{"files.zip", zipEntry("ship.jpg"), KindOther, "ZIP archive"},
		{"IMG_0001.HEIC", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", KindOther, "HEIC image"},
		{"IMG_0002.MOV", "\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", KindOther, "QuickTime video"},
		{"VID.mp4", "\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", KindOther, "MP4 video"},
		{"old.mov", "\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", KindOther, "QuickTime video"},
		{"a.webp", "RIFF\x00\x00\x00\x00WEBPVP8 ", KindOther, "WebP image"},
		{"a.gif", "GIF89a", KindOther, "GIF image"},
		{"a.dng", "II*\x00\x08\x00\x00\x00", KindOther, "TIFF image (or camera raw)"},
		{"a.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", KindOther, "Microsoft Office document (legacy .doc, .xls or .ppt) or Outlook message"},
		{"a.svg", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">", KindOther, "SVG image"},
		{"a.html", "<!DOCTYPE html><html>", KindOther, "web page (HTML)"},
		{"a.txt", "Received: from mail.example (10.0.0.1)\r\n", KindOther, "e-mail message"},
		{"a.rtf", "{\\rtf1\\ansi", KindOther, "RTF document"},
		{"a", "\x7fELF\x02\x01", KindOther, "program (ELF)"},
		{"lead.pdf", "\n\n%PDF-1.4\n1 0 obj << /Author (Pak) >>", KindOther, "PDF document with data before its header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sniff(tt.name, []byte(tt.head))
			if got.Kind != tt.kind || got.Name != tt.desc {
				t.Errorf("Sniff(%q) = %v %q, want %v %q", tt.name, got.Kind, got.Name, tt.kind, tt.desc)
			}
		})
	}
}

func TestTypePolicy(t *testing.T) {
	docx := Sniff("a.docx", []byte("PK\x03\x04"))
	for _, tt := range []struct {
		t                         Type
		cleanable, none, asIsOnly bool
	}{
		{JPEG, true, false, false}, {PNG, true, false, false}, {PDF, true, false, false},
		{Text, false, true, false}, {docx, false, false, true},
	} {
		if tt.t.Cleanable() != tt.cleanable || tt.t.CarriesNoMetadata() != tt.none || tt.t.NeedsAsIsConsent() != tt.asIsOnly {
			t.Errorf("%v: policy %v %v %v", tt.t, tt.t.Cleanable(), tt.t.CarriesNoMetadata(), tt.t.NeedsAsIsConsent())
		}
	}
}

func TestCopyText(t *testing.T) {
	text := strings.Repeat("선박 CHON MA SAN — IMO 8660313\n", 5000) // runes cut across reads
	var out bytes.Buffer
	if _, err := CopyText(&out, iotest.OneByteReader(strings.NewReader(text))); err != nil || out.String() != text {
		t.Fatalf("CopyText: %v, copy equal: %v", err, out.String() == text)
	}
	binary := text + "\x00\x01\x02"
	if _, err := CopyText(&bytes.Buffer{}, strings.NewReader(binary)); !errors.Is(err, ErrNotText) {
		t.Errorf("binary after text: got %v, want ErrNotText", err)
	}
	if _, err := CopyText(&bytes.Buffer{}, strings.NewReader("abc\xe2\x82")); !errors.Is(err, ErrNotText) {
		t.Errorf("cut rune at the end: got %v, want ErrNotText", err)
	}
}

func TestReportNeverPrintsValues(t *testing.T) {
	var rep Report
	rep.add(Location, "GPS position", "39.0392° N, 125.7625° E", Removed)
	rep.add(Author, "artist", "Kim\x00 Chol-su\n", Removed)
	rep.add(Other, "comment", strings.Repeat("긴", 300), Kept)
	for _, s := range []string{rep.String(), rep.Items[0].String(), rep.LogValue().String(), rep.Items[1].LogValue().String()} {
		if strings.Contains(s, "39.0392") || strings.Contains(s, "Kim") {
			t.Errorf("value printed: %q", s)
		}
	}
	if rep.Items[1].Value != "Kim Chol-su" || len(rep.Items[2].Value) > MaxValueLen {
		t.Errorf("values not cleaned: %q, %d bytes", rep.Items[1].Value, len(rep.Items[2].Value))
	}
	g := rep.Summary()
	if len(g) != 3 || g[0].Category != Location || g[1].Category != Author || g[2].Category != Other {
		t.Errorf("Summary = %+v", g)
	}
}
