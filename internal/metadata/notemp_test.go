package metadata

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestNoFileIsWritten runs every cleaner and inspector with TMPDIR, HOME and
// XDG_CONFIG_HOME pointing at empty directories, and checks that they stay empty: no
// temporary file, no pdfcpu configuration directory.
func TestNoFileIsWritten(t *testing.T) {
	dirs := map[string]string{}
	for _, v := range []string{"TMPDIR", "HOME", "XDG_CONFIG_HOME"} {
		dirs[v] = t.TempDir()
		t.Setenv(v, dirs[v])
	}
	jpg, pngb := readTestdata(t, "exif-gps.jpg"), readTestdata(t, "text-exif.png")
	pdf := readTestdata(t, "info-xmp.pdf")
	for _, f := range []struct {
		b []byte
		t Type
	}{{jpg, JPEG}, {pngb, PNG}, {pdf, PDF}, {[]byte("plain"), Text}} {
		if _, err := Clean(&bytes.Buffer{}, bytes.NewReader(f.b), int64(len(f.b)), f.t); err != nil {
			t.Fatalf("Clean %v: %v", f.t, err)
		}
		if _, err := Inspect(bytes.NewReader(f.b), int64(len(f.b)), f.t); err != nil {
			t.Fatalf("Inspect %v: %v", f.t, err)
		}
	}
	for v, dir := range dirs {
		filepath.WalkDir(dir, func(path string, _ os.DirEntry, _ error) error {
			if path != dir {
				t.Errorf("%s: %s was created", v, path)
			}
			return nil
		})
	}
}
