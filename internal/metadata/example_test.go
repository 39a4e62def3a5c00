package metadata_test

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"tipline/internal/metadata"
)

// A source uploads a photo and leaves "keep metadata" unticked: the photo is cleaned
// as it streams, and the confirmation page lists what was removed, by category.
func ExampleCleanJPEG() {
	photo, _ := os.Open("testdata/exif-gps.jpg")
	defer photo.Close()

	head := make([]byte, metadata.SniffLen)
	n, _ := io.ReadFull(photo, head)
	t := metadata.Sniff("IMG_2025.jpg", head[:n])
	fmt.Println(t, "— cleanable:", t.Cleanable())

	var sealed bytes.Buffer // in Tipline, an age encryption stream
	rep, err := metadata.CleanJPEG(&sealed, io.MultiReader(bytes.NewReader(head[:n]), photo))
	if err != nil {
		fmt.Println(err) // a *DamagedError the source can read
		return
	}
	for _, g := range rep.Summary()[:3] {
		fmt.Printf("%s:\n", g.Category)
		for _, it := range g.Items {
			fmt.Printf("  %s: %s (%s)\n", it.Label, it.Value, it.Action)
		}
	}
	// Output:
	// JPEG image — cleanable: true
	// location:
	//   GPS position: 39.039200° N, 125.762500° E (removed)
	//   GPS altitude: 38.5 m (removed)
	//   city: Nampo (removed)
	//   country: DPRK (removed)
	// device:
	//   camera make: Samsung (removed)
	//   camera model: SM-G991B (removed)
	//   camera serial number: R58R31ABCDE (removed)
	//   lens model: Samsung S5KGN2 6.7mm (removed)
	// author:
	//   artist: Kim Chol-su (removed)
	//   copyright: (c) Kim Chol-su (removed)
	//   camera owner: Kim Chol-su (removed)
	//   author (by-line): Kim Chol-su (removed)
	//   author: Kim Chol-su (removed)
}

// Files Tipline cannot clean are named for the source, who must agree to send them as
// they are.
func ExampleSniff() {
	for _, f := range []struct{ name, head string }{
		{"IMG_0001.HEIC", "\x00\x00\x00\x18ftypheic"},
		{"report.docx", "PK\x03\x04"},
		{"notes.txt", "Ship-to-ship transfer at 38.9N 124.5E"},
	} {
		t := metadata.Sniff(f.name, []byte(f.head))
		fmt.Printf("%s: %s, needs consent: %v\n", f.name, t, t.NeedsAsIsConsent())
	}
	// Output:
	// IMG_0001.HEIC: HEIC image, needs consent: true
	// report.docx: Word document (DOCX), needs consent: true
	// notes.txt: plain text, needs consent: false
}
