package metadata

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
)

// noisyJPEG returns a JPEG of w×h random pixels (large, like a phone photo) with the EXIF,
// IPTC and XMP of the exif-gps.jpg fixture spliced in.
func noisyJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	fixture := readTestdata(t, "exif-gps.jpg")
	end := 2 // the end of the fixture's APPn and COM segments
	for m := fixture[end+1]; m >= markerAPP0 && m <= 0xEF || m == markerCOM; m = fixture[end+1] {
		end += 2 + (int(fixture[end+2])<<8 | int(fixture[end+3]))
	}
	return append(append([]byte{}, fixture[:end]...), b.Bytes()[2:]...)
}

// BenchmarkCleanJPEG measures throughput on a 2000×1500 photo of about 4 MB.
func BenchmarkCleanJPEG(b *testing.B) {
	in := noisyJPEG(b, 2000, 1500)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CleanJPEG(io.Discard, bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCleanPNG measures throughput on a 1000×1000 PNG of random pixels (about 4 MB).
func BenchmarkCleanPNG(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := CleanPNG(io.Discard, bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
}

// endless yields an endless stream: a JPEG's segments, then entropy-coded data forever
// (or a PNG's IDAT chunk of maximal length), without ever holding it.
type endless struct {
	head []byte
	fill byte
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	return len(p), nil
}

// TestMemoryIsBounded streams 256 MiB through CleanJPEG and CleanPNG and checks that the
// heap does not grow with the input.
func TestMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 512 MiB")
	}
	j := noisyJPEG(t, 16, 16)
	jhead := j[:bytes.Index(j, []byte{0xFF, 0xDA})]
	jhead = append(jhead, segment(markerSOS, []byte{3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0})...)
	p := plainPNG(t, 4, 4)
	phead := append(append([]byte{}, p[:33]...), 0x7F, 0xFF, 0xFF, 0xFF, 'I', 'D', 'A', 'T')
	for name, clean := range map[string]func(io.Writer, io.Reader) (Report, error){
		"JPEG": func(w io.Writer, r io.Reader) (Report, error) {
			return CleanJPEG(w, io.LimitReader(&endless{head: jhead, fill: 0x5A}, 256<<20))
		},
		"PNG": func(w io.Writer, r io.Reader) (Report, error) {
			return CleanPNG(w, io.LimitReader(&endless{head: phead, fill: 0x5A}, 256<<20))
		},
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := clean(io.Discard, nil)
		runtime.ReadMemStats(&after)
		if !isDamaged(err) { // the stream ends without an end marker
			t.Errorf("%s: got %v, want a DamagedError at the end of the stream", name, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 4<<20 {
			t.Errorf("%s: %d bytes allocated to stream 256 MiB", name, grown)
		}
	}
}
