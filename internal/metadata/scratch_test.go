package metadata

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, f := range []string{"testdata/exif-gps.jpg", "testdata/text-exif.png"} {
		b, _ := os.ReadFile(f)
		var out bytes.Buffer
		var rep Report
		var err error
		if f[len(f)-1] == 'g' && f[len(f)-2] == 'p' && f[len(f)-3]=='j' {
			rep, err = CleanJPEG(&out, bytes.NewReader(b))
		} else {
			rep, err = CleanPNG(&out, bytes.NewReader(b))
		}
		fmt.Println(f, err, len(b), out.Len())
		for _, it := range rep.Items {
			fmt.Printf("  %-9s %-40s %-40q %s %s\n", it.Category, it.Label, it.Value, it.Action, it.Note)
		}
		_, _, err = image.Decode(bytes.NewReader(out.Bytes()))
		fmt.Println("decode:", err)
		os.WriteFile("/tmp/out-"+f[9:], out.Bytes(), 0o644)
	}
}
