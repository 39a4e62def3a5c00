package metadata

import (
	"bytes"
	"image"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestCleanPNGRemovesTextAndEXIF(t *testing.T) {
	in := readTestdata(t, "text-exif.png")
	var out bytes.Buffer
	rep, err := CleanPNG(&out, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ label, value string }{
		{"author", "Kim Chol-su"},        // tEXt and XMP in iTXt
		{"comment", "port of Nampo"},     // tEXt
		{"modification time", "2025"},    // tIME
		{"camera model", "iPhone 15"},    // eXIf
		{"GPS position", "39.039200° N"}, // eXIf
	} {
		if !reportHas(rep, want.label, want.value) {
			t.Errorf("report lacks %s = %q", want.label, want.value)
		}
	}
	if got := pngChunkTypes(t, out.Bytes()); !slices.Equal(got, []string{"IHDR", "IDAT", "IEND"}) {
		t.Errorf("chunks = %v", got)
	}
	if _, _, err := image.Decode(bytes.NewReader(out.Bytes())); err != nil {
		t.Fatalf("cleaned PNG does not decode: %v", err)
	}
	fields := exiftoolFields(t, out.Bytes())
	for _, bad := range []string{"Author", "Comment", "ModifyDate", "GPS", "Make", "Model", "XMP", "Creator"} {
		if strings.Contains(fields, bad) {
			t.Errorf("exiftool still finds %s in the cleaned PNG:\n%s", bad, fields)
		}
	}
}

func TestCleanPNGChunks(t *testing.T) {
	itxt := append([]byte("Description\x00\x01\x00en\x00\x00"), zlibBytes([]byte("Nampo coal wharf"))...)
	ztxt := append([]byte("Author\x00\x00"), zlibBytes([]byte("Pak Yong-ho"))...)
	in := withChunks(plainPNG(t, 16, 8), []byte("appended"),
		chunk("gAMA", []byte{0, 0, 0xB1, 0x8F}),
		chunk("iCCP", append([]byte("Display P3\x00\x00"), zlibBytes([]byte("profile"))...)),
		chunk("pHYs", []byte{0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1}),
		chunk("zTXt", ztxt),
		chunk("iTXt", itxt),
		chunk("iDOT", make([]byte, 28)),
	)
	var out bytes.Buffer
	rep, err := CleanPNG(&out, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := pngChunkTypes(t, out.Bytes()); !slices.Equal(got, []string{"IHDR", "gAMA", "iCCP", "pHYs", "IDAT", "IEND"}) {
		t.Errorf("chunks = %v", got)
	}
	for _, want := range []struct {
		label, value string
		action       Action
	}{
		{"colour profile (ICC)", "Display P3", Kept},
		{"author", "Pak Yong-ho", Removed},
		{"description", "Nampo coal wharf", Removed},
		{"unknown chunk iDOT", "28 bytes", Removed},
		{"data after the end of the image", "8 bytes", Removed},
	} {
		i := slices.IndexFunc(rep.Items, func(it Item) bool { return it.Label == want.label })
		if i < 0 || rep.Items[i].Value != want.value || rep.Items[i].Action != want.action {
			t.Errorf("report lacks %s = %q (%v): %+v", want.label, want.value, want.action, rep.Items)
		}
	}
	if _, _, err := image.Decode(bytes.NewReader(out.Bytes())); err != nil {
		t.Fatalf("cleaned PNG does not decode: %v", err)
	}
}

func TestInspectPNGKeepsEverything(t *testing.T) {
	in := readTestdata(t, "text-exif.png")
	var copied bytes.Buffer
	rep, err := InspectPNG(io.TeeReader(bytes.NewReader(in), &copied))
	if err != nil || !bytes.Equal(copied.Bytes(), in) {
		t.Fatalf("InspectPNG: %v; copy complete: %v", err, bytes.Equal(copied.Bytes(), in))
	}
	if rep.Count(Kept) != len(rep.Items) || !reportHas(rep, "author", "Kim Chol-su") {
		t.Errorf("want every item kept, got %+v", rep.Items)
	}
}

func TestCleanPNGDamaged(t *testing.T) {
	good := plainPNG(t, 8, 8)
	badCRC := append([]byte{}, good...)
	badCRC[8+8+13] ^= 1 // IHDR's CRC
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"not a PNG", []byte("\xFF\xD8\xFF"), "at byte 0"},
		{"bad CRC", badCRC, "at byte 29 (a chunk checksum does not match)"},
		{"truncated", good[:len(good)-6], "the file ends in the middle of"},
		{"no IHDR", append([]byte(pngSignature), chunk("IDAT", nil)...), "the image header is missing"},
		{"unknown critical chunk", withChunks(good, nil, chunk("ABCD", nil)), "unknown critical chunk ABCD"},
		{"huge length", append(append([]byte(pngSignature), good[8:33]...), 0x80, 0, 0, 0, 'I', 'D', 'A', 'T'), "a chunk length is too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CleanPNG(io.Discard, bytes.NewReader(tt.in))
			if !isDamaged(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a DamagedError saying %q", err, tt.want)
			}
		})
	}
}
