package metadata

import (
	"bytes"
	"image"
	"io"
	"strings"
	"testing"
)

func TestCleanJPEGRemovesCameraMetadata(t *testing.T) {
	in := readTestdata(t, "exif-gps.jpg")
	var out bytes.Buffer
	rep, err := CleanJPEG(&out, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ label, value string }{
		{"GPS position", "39.039200° N, 125.762500° E"},
		{"GPS altitude", "38.5 m"},
		{"camera make", "Samsung"},
		{"camera model", "SM-G991B"},
		{"camera serial number", "R58R31ABCDE"},
		{"lens model", "Samsung S5KGN2 6.7mm"},
		{"artist", "Kim Chol-su"},
		{"copyright", "Kim Chol-su"},
		{"camera owner", "Kim Chol-su"},
		{"original date-time", "2025:03:14 09:26:53"},
		{"embedded preview image (may show the uncropped original)", "597 bytes"},
		{"author (by-line)", "Kim Chol-su"}, // IPTC
		{"city", "Nampo"},
		{"software", "Snapseed 2.0"}, // XMP
		{"comment", "taken from the bridge"},
	} {
		if !reportHas(rep, want.label, want.value) {
			t.Errorf("report lacks %s = %q", want.label, want.value)
		}
	}
	for _, it := range rep.Items {
		if it.Action != Removed && it.Label != "orientation (rotation)" {
			t.Errorf("%v: want removed", it)
		}
	}
	if !reportHas(rep, "orientation (rotation)", "rotated 90° clockwise") {
		t.Errorf("report does not say the orientation was kept")
	}
	checkJPEGClean(t, out.Bytes())
	img, _, err := image.Decode(bytes.NewReader(out.Bytes()))
	if err != nil || img.Bounds().Dx() != 64 {
		t.Fatalf("cleaned JPEG does not decode: %v", err)
	}
	fields := exiftoolFields(t, out.Bytes())
	for _, bad := range []string{"GPS", "Make", "Model", "Serial", "Lens", "Artist", "Copyright", "Owner",
		"Software", "DateTimeOriginal", "Thumbnail", "IPTC", "XMP", "Comment", "Creator", "City"} {
		if strings.Contains(fields, bad) {
			t.Errorf("exiftool still finds %s in the cleaned JPEG:\n%s", bad, fields)
		}
	}
	if !strings.Contains(fields, "Orientation") {
		t.Errorf("exiftool does not find the kept orientation")
	}
}

func TestCleanJPEGSegments(t *testing.T) {
	icc := make([]byte, 200) // a profile whose description is "sRGB test"
	copy(icc[128:], []byte{0, 0, 0, 1, 'd', 'e', 's', 'c', 0, 0, 0, 144, 0, 0, 0, 30})
	copy(icc[144:], append([]byte("desc\x00\x00\x00\x00\x00\x00\x00\x09"), "sRGB test"...))
	jfifThumb := append([]byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x02\x01"), make([]byte, 6)...)
	tests := []struct {
		name      string
		segs      [][]byte
		trailer   string
		wantLabel string
		wantValue string
		action    Action
	}{
		{"ICC profile kept", [][]byte{segment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), icc...))}, "", "colour profile (ICC)", "sRGB test", Kept},
		{"Adobe APP14 kept silently", [][]byte{segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))}, "", "", "", 0},
		{"JFIF thumbnail removed", [][]byte{segment(0xE0, jfifThumb)}, "", "JFIF thumbnail", "2x1 pixels", Removed},
		{"JFXX thumbnail removed", [][]byte{segment(0xE0, []byte("JFXX\x00\x10thumb"))}, "", "application data (APP0)", "JFXX", Removed},
		{"MPF index removed", [][]byte{segment(0xE2, []byte("MPF\x00MM\x00*"))}, "", "multi-picture index (extra images such as depth maps)", "bytes", Removed},
		{"Ducky APP12 removed", [][]byte{segment(0xEC, []byte("Ducky\x00\x01"))}, "", "application data (APP12)", "Ducky", Removed},
		{"comment removed", [][]byte{segment(markerCOM, []byte("Pak Yong-ho"))}, "", "comment", "Pak Yong-ho", Removed},
		{"XP author removed", [][]byte{segment(0xE1, exifBlock(map[uint16]string{0x013B: "Pak", 0x010F: "Apple"}))}, "", "artist", "Pak", Removed},
		{"motion photo removed", nil, "\x00\x00\x00\x18ftypmp42", "data after the end of the image (e.g. a motion-photo video or extra images)", "12 bytes", Removed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := withSegments(plainJPEG(t, 32, 16), []byte(tt.trailer), tt.segs...)
			var out bytes.Buffer
			rep, err := CleanJPEG(&out, bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			checkJPEGClean(t, out.Bytes())
			if _, _, err := image.Decode(bytes.NewReader(out.Bytes())); err != nil {
				t.Fatalf("cleaned JPEG does not decode: %v", err)
			}
			if tt.wantLabel == "" {
				if len(rep.Items) != 0 {
					t.Errorf("want an empty report, got %v", rep.Items)
				}
				return
			}
			if !reportHas(rep, tt.wantLabel, tt.wantValue) {
				t.Errorf("report %+v lacks %s = %q", rep.Items, tt.wantLabel, tt.wantValue)
			}
			if rep.Items[0].Action != tt.action {
				t.Errorf("action = %v, want %v", rep.Items[0].Action, tt.action)
			}
		})
	}
}

func TestCleanJPEGUprightPhotoGetsNoEXIF(t *testing.T) {
	in := withSegments(plainJPEG(t, 8, 8), nil, segment(0xE1, exifBlock(map[uint16]string{0x010F: "Apple"})))
	var out bytes.Buffer
	if _, err := CleanJPEG(&out, bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if markers, _, _ := jpegMarkers(t, out.Bytes()); bytes.IndexByte(markers, 0xE1) >= 0 {
		t.Errorf("an EXIF block was written for an image without orientation")
	}
}

func TestInspectJPEGKeepsEverything(t *testing.T) {
	in := append(readTestdata(t, "exif-gps.jpg"), "trailing"...)
	var copied bytes.Buffer
	rep, err := InspectJPEG(io.TeeReader(bytes.NewReader(in), &copied))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(copied.Bytes(), in) {
		t.Errorf("InspectJPEG did not read its input to the end")
	}
	if rep.Count(Kept) != len(rep.Items) || !reportHas(rep, "GPS position", "39.0392") {
		t.Errorf("want every item kept and the GPS position reported, got %+v", rep.Items)
	}
}

func TestCleanJPEGDamaged(t *testing.T) {
	good := plainJPEG(t, 16, 16)
	tests := []struct {
		name string
		in   []byte
		at   string
	}{
		{"not a JPEG", []byte("GIF89a"), "byte 0"},
		{"truncated in a segment", good[:30], "the file ends in the middle of a segment"},
		{"truncated in image data", good[:len(good)-10], "the file ends in the middle of image data"},
		{"segment length 1", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, good[2:]...), "byte 4"},
		{"garbage between segments", append([]byte{0xFF, 0xD8, 0x42}, good[2:]...), "byte 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CleanJPEG(io.Discard, bytes.NewReader(tt.in))
			if !isDamaged(err) {
				t.Fatalf("want a DamagedError, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.at) || !strings.HasPrefix(msg, "this JPEG file is damaged") {
				t.Errorf("message %q does not say %q", msg, tt.at)
			}
		})
	}
}

func TestReportIsBounded(t *testing.T) {
	var segs [][]byte
	for i := range 1000 {
		segs = append(segs, segment(markerCOM, []byte(strings.Repeat("x", i))))
	}
	rep, err := CleanJPEG(io.Discard, bytes.NewReader(withSegments(plainJPEG(t, 8, 8), nil, segs...)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Items) != MaxItems || rep.Unlisted != 1000-MaxItems {
		t.Errorf("%d items listed, %d unlisted", len(rep.Items), rep.Unlisted)
	}
}
