package metadata

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

// jpegMarkers lists the markers of a JPEG file up to its first SOS, with their payloads,
// and the number of bytes after EOI. It is deliberately independent of jpeg.go.
func jpegMarkers(t testing.TB, b []byte) (markers []byte, payloads [][]byte, trailing int) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0xFF, 0xD8}) {
		t.Fatalf("output does not start with SOI")
	}
	i := 2
	for i+2 <= len(b) && b[i] == 0xFF {
		m := b[i+1]
		if m == 0x01 || m >= 0xD0 && m <= 0xD9 { // markers without a length
			markers = append(markers, m)
			payloads = append(payloads, nil)
			i += 2
			continue
		}
		if i+4 > len(b) {
			t.Fatalf("segment header cut at byte %d", i)
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			t.Fatalf("segment at byte %d overruns the file", i)
		}
		markers = append(markers, m)
		payloads = append(payloads, b[i+4:i+2+n])
		i += 2 + n
		if m == markerSOS {
			break
		}
	}
	eoi := bytes.LastIndex(b, []byte{0xFF, 0xD9})
	if eoi < 0 {
		t.Fatalf("output has no EOI")
	}
	return markers, payloads, len(b) - eoi - 2
}

// checkJPEGClean fails if a cleaned JPEG holds a segment that may carry metadata.
func checkJPEGClean(t testing.TB, b []byte) {
	t.Helper()
	markers, payloads, trailing := jpegMarkers(t, b)
	for i, m := range markers {
		p := payloads[i]
		switch {
		case m == markerCOM, m == 0xED:
			t.Errorf("segment 0x%02X left in cleaned JPEG", m)
		case m == 0xE1 && !(bytes.HasPrefix(p, []byte("Exif\x00")) && len(p) == len(minimalEXIF(6))):
			t.Errorf("APP1 segment of %d bytes left in cleaned JPEG", len(p))
		case m == markerAPP0 && (!bytes.HasPrefix(p, []byte("JFIF\x00")) || len(p) != 14 || p[12] != 0 || p[13] != 0):
			t.Errorf("APP0 segment other than a thumbnail-less JFIF left in cleaned JPEG")
		case m == 0xE2 && !bytes.HasPrefix(p, []byte("ICC_PROFILE\x00")):
			t.Errorf("APP2 segment other than ICC left in cleaned JPEG")
		case m > 0xE2 && m <= 0xEF && !(m == 0xEE && bytes.HasPrefix(p, []byte("Adobe"))):
			t.Errorf("APP%d segment left in cleaned JPEG", m-markerAPP0)
		}
	}
	if trailing != 0 {
		t.Errorf("%d bytes left after EOI", trailing)
	}
}

// pngChunkTypes lists the chunk types of a PNG file.
func pngChunkTypes(t testing.TB, b []byte) []string {
	t.Helper()
	var types []string
	for b = b[8:]; len(b) >= 12; {
		n := int(binary.BigEndian.Uint32(b))
		types = append(types, string(b[4:8]))
		b = b[12+n:]
	}
	if len(b) != 0 {
		t.Errorf("%d bytes left after the last chunk", len(b))
	}
	return types
}

// exiftoolFields runs exiftool on b and returns what it finds in the file itself (not the
// [System] pipe it reads from), or skips the test.
func exiftoolFields(t *testing.T, b []byte) string {
	t.Helper()
	cmd := exec.Command(testenv.Need(t, "exiftool"), "-G1", "-a", "-s", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("exiftool: %v", err)
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(l, "[System]") && !strings.HasPrefix(l, "[ExifTool]") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// reportHas reports whether rep has an item with this label whose value contains value.
func reportHas(rep Report, label, value string) bool {
	for _, it := range rep.Items {
		if strings.HasSuffix(it.Label, label) && strings.Contains(it.Value, value) {
			return true
		}
	}
	return false
}
