package metadata

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// Fixtures are built here at test time, except the few in testdata/ that exiftool wrote
// (see testdata/README.md). Names and places in them are invented.

// plainJPEG returns a JPEG image of w×h pixels as image/jpeg writes it: no metadata.
func plainJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gradient(w, h), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func plainPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gradient(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 3), uint8(x ^ y), 255})
		}
	}
	return img
}

// segment returns a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

// withSegments inserts segments right after the SOI marker of a JPEG file, and appends
// trailer after it.
func withSegments(j []byte, trailer []byte, segs ...[]byte) []byte {
	out := append([]byte{}, j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	out = append(out, j[2:]...)
	return append(out, trailer...)
}

// tiffIFD builds a big-endian EXIF block ("Exif\0\0" + TIFF) with ASCII tags in IFD0.
func exifBlock(tags map[uint16]string) []byte {
	var ifd, data bytes.Buffer
	keys := make([]uint16, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	for i := range keys { // deterministic order
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	dataStart := 8 + 2 + 12*len(keys) + 4
	binary.Write(&ifd, binary.BigEndian, uint16(len(keys)))
	for _, k := range keys {
		v := append([]byte(tags[k]), 0)
		binary.Write(&ifd, binary.BigEndian, []uint16{k, 2})
		binary.Write(&ifd, binary.BigEndian, uint32(len(v)))
		if len(v) <= 4 {
			ifd.Write(append(v, make([]byte, 4-len(v))...))
		} else {
			binary.Write(&ifd, binary.BigEndian, uint32(dataStart+data.Len()))
			data.Write(v)
		}
	}
	ifd.Write([]byte{0, 0, 0, 0})
	out := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08")
	out = append(out, ifd.Bytes()...)
	return append(out, data.Bytes()...)
}

// chunk returns a PNG chunk with its CRC.
func chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// withChunks inserts chunks right after the IHDR chunk of a PNG file, and appends trailer.
func withChunks(p []byte, trailer []byte, chunks ...[]byte) []byte {
	const afterIHDR = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:afterIHDR]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	out = append(out, p[afterIHDR:]...)
	return append(out, trailer...)
}

func zlibBytes(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

const testXMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:exif="http://ns.adobe.com/exif/1.0/" xmp:CreatorTool="Word for Microsoft 365" exif:GPSLatitude="39,2.352N">
<dc:creator><rdf:Seq><rdf:li>Pak Yong-ho</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>2025-03-14T09:26:53+09:00</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

// buildPDF writes a one-page PDF with an Info dictionary, document and page XMP,
// PieceInfo, a comment with its author, and an embedded JPEG image carrying EXIF.
func buildPDF(t testing.TB, img []byte) []byte {
	t.Helper()
	content := "q 64 0 0 48 100 600 cm /Im1 Do Q"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >>" +
			" /Annots [7 0 R] /Metadata 8 0 R /PieceInfo << /Illustrator << /Private (Pak Yong-ho private data) >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 64 /Height 48 /ColorSpace /DeviceRGB /BitsPerComponent 8"+
			" /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", len(img), img),
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(testXMP), testXMP),
		"<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (see the hull number) /T (Pak Yong-ho) /M (D:20250314092653+09'00') >>",
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(testXMP), testXMP),
		"<< /Author (Pak Yong-ho) /Creator (Microsoft Word) /Producer (macOS Quartz PDFContext) /Title (Cargo manifest)" +
			" /CreationDate (D:20250314092653+09'00') /ModDate (D:20250315100000+09'00') /Company (Korea Haegumgang Trading) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 9 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// isDamaged reports whether err says that a file is malformed, as opposed to an
// error of the reader or writer.
func isDamaged(err error) bool {
	var d *DamagedError
	return errors.As(err, &d)
}
