package metadata

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// The fuzz tests check that no input makes a cleaner panic, and that whatever a cleaner
// accepts comes out without a metadata segment. Run each with, e.g.:
//
//	go test -run '^$' -fuzz FuzzCleanJPEG -fuzztime 30s ./internal/metadata

func FuzzCleanJPEG(f *testing.F) {
	f.Add(readTestdata(f, "exif-gps.jpg"))
	f.Add(plainJPEG(f, 8, 8))
	f.Add(withSegments(plainJPEG(f, 8, 8), []byte("tail"), segment(markerCOM, []byte("c")),
		segment(0xE1, exifBlock(map[uint16]string{0x010F: "Apple"})), segment(0xED, []byte(photoshopID+"8BIM\x04\x04\x00\x00\x00\x00\x00\x08\x1c\x02\x50\x00\x03Kim"))))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rep, err := CleanJPEG(&out, bytes.NewReader(in))
		if err != nil {
			return
		}
		if out.Len() > len(in)+len(minimalEXIF(1))+4 {
			t.Fatalf("output of %d bytes for %d bytes of input", out.Len(), len(in))
		}
		checkJPEGClean(t, out.Bytes())
		if _, err := InspectJPEG(bytes.NewReader(in)); err != nil {
			t.Fatalf("CleanJPEG accepted what InspectJPEG refuses: %v", err)
		}
		checkValues(t, rep)
	})
}

func FuzzCleanPNG(f *testing.F) {
	f.Add(readTestdata(f, "text-exif.png"))
	f.Add(withChunks(plainPNG(f, 4, 4), []byte("tail"), chunk("zTXt", append([]byte("Author\x00\x00"), zlibBytes([]byte("x"))...)),
		chunk("iCCP", []byte("p\x00\x00x"))))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rep, err := CleanPNG(&out, bytes.NewReader(in))
		if err != nil {
			return
		}
		b := out.Bytes()[len(pngSignature):]
		for len(b) > 0 {
			n := int(binary.BigEndian.Uint32(b))
			typ := string(b[4:8])
			if !pngKept[typ] {
				t.Fatalf("chunk %s left in cleaned PNG", typ)
			}
			if crc32.ChecksumIEEE(b[4:8+n]) != binary.BigEndian.Uint32(b[8+n:]) {
				t.Fatalf("chunk %s written with a bad CRC", typ)
			}
			b = b[12+n:]
		}
		checkValues(t, rep)
	})
}

func FuzzCleanPDF(f *testing.F) {
	f.Add(buildPDF(f, plainJPEG(f, 8, 8)))
	f.Add(readTestdata(f, "info-xmp.pdf"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rep, err := CleanPDF(&out, bytes.NewReader(in), int64(len(in)))
		if err != nil {
			return
		}
		checkValues(t, rep)
		again, err := InspectPDF(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			return // pdfcpu may write what it cannot read back; nothing leaks either way
		}
		if ctx, err := readPDF(bytes.NewReader(out.Bytes()), int64(out.Len())); err == nil {
			checkInfoStandsAlone(t, ctx)
		}
		for _, it := range again.Items {
			if !pdfcpuItems[it.Label] {
				t.Fatalf("cleaned PDF still holds %s", it.Label)
			}
		}
	})
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{"\xFF\xD8\xFF", "%PDF-1.7", "PK\x03\x04", "hello", "\x00\x00\x00\x18ftypheic", "<svg"} {
		f.Add("file.bin", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		got := Sniff(name, head)
		if got.Name == "" || got.MediaType == "" {
			t.Fatalf("Sniff returned an unnamed type %+v", got)
		}
		if got.Kind == KindText && firstNonText(head[:min(len(head), SniffLen)]) >= 0 && utf8.Valid(head[:min(len(head), SniffLen)]) {
			t.Fatalf("binary head taken for text")
		}
		if n := boolCount(got.Cleanable(), got.CarriesNoMetadata(), got.NeedsAsIsConsent()); n != 1 {
			t.Fatalf("%v falls under %d policies", got, n)
		}
	})
}

// FuzzCopyText checks that CopyText passes on exactly the files that are UTF-8 text
// without control characters other than tab, line and page breaks, unchanged, however
// the reads of the file fall across its runes.
func FuzzCopyText(f *testing.F) {
	for _, s := range []string{"plain text\r\n", "선박 이름: 천명 1\n", "Судно\tИМО 8712362", "a\x00b", "\xe2\x82", "\x7f", "x\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		isText := utf8.Valid(in) && !bytes.ContainsFunc(in, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7f
		})
		for _, r := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in)), iotest.HalfReader(bytes.NewReader(in))} {
			var out bytes.Buffer
			_, err := CopyText(&out, r)
			if isText != (err == nil) {
				t.Fatalf("text %v, CopyText error %v", isText, err)
			}
			if err == nil && !bytes.Equal(out.Bytes(), in) {
				t.Fatalf("copied %q as %q", in, out.Bytes())
			}
			if err != nil && !errors.Is(err, ErrNotText) {
				t.Fatalf("error %v is not ErrNotText", err)
			}
		}
	})
}

// The parsers of the metadata blocks inside images and PDFs, fuzzed on their own: they
// never fail, and every field they name is shown to the source, bounded (checkValues).

func FuzzParseEXIF(f *testing.F) {
	e := exifBlock(map[uint16]string{0x010F: "Apple", 0x0110: "iPhone", 0x013B: "Pak Yong-ho"})
	f.Add(e[len("Exif\x00\x00"):])
	f.Add(minimalEXIF(6)[len("Exif\x00\x00"):])
	f.Add([]byte("MM\x00\x2a\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFound(t, parseEXIF(b).items)
	})
}

func FuzzParseXMP(f *testing.F) {
	f.Add([]byte(testXMP))
	f.Add([]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:creator="K"/></rdf:RDF></x:xmpmeta>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFound(t, parseXMP(b))
	})
}

func FuzzParsePhotoshop(f *testing.F) {
	f.Add([]byte("8BIM\x04\x04\x00\x00\x00\x00\x00\x08\x1c\x02\x50\x00\x03Kim"))
	f.Add([]byte("8BIM\x04\x0c\x00\x00\x00\x00\x00\x04abcd"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFound(t, parsePhotoshop(b))
	})
}

// checkFound checks found items the way a report shows them.
func checkFound(t *testing.T, items []found) {
	t.Helper()
	rep := Report{Type: JPEG}
	for _, it := range items {
		if it.label == "" {
			t.Fatalf("an item without a label: %+v", it)
		}
		rep.add(it.cat, it.label, it.value, Removed)
	}
	checkValues(t, rep)
}

func boolCount(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// checkValues checks that report values are bounded and printable.
func checkValues(t *testing.T, rep Report) {
	for _, it := range rep.Items {
		if len(it.Value) > MaxValueLen || !utf8.ValidString(it.Value) {
			t.Fatalf("value of %s not cleaned: %d bytes", it.Label, len(it.Value))
		}
	}
}
