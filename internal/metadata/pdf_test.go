package metadata

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"tipline/internal/testenv"
)

// pdfcpuItems are what any PDF rewritten by pdfcpu says: its name and the time of writing.
var pdfcpuItems = map[string]bool{"PDF producer": true, "creation date": true, "modification date": true,
	"file identifier (can link this file to its original)": true}

func cleanPDFBytes(t *testing.T, in []byte) ([]byte, Report) {
	t.Helper()
	var out bytes.Buffer
	rep, err := CleanPDF(&out, bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	again, err := InspectPDF(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatalf("cleaned PDF cannot be read again: %v", err)
	}
	for _, it := range again.Items {
		if !pdfcpuItems[it.Label] || it.Label == "PDF producer" && !strings.HasPrefix(it.Value, "pdfcpu") {
			t.Errorf("cleaned PDF still holds %s = %q", it.Label, it.Value)
		}
	}
	return out.Bytes(), rep
}

func TestCleanPDF(t *testing.T) {
	for _, name := range []string{"built", "info-xmp.pdf"} {
		t.Run(name, func(t *testing.T) {
			in := buildPDF(t, readTestdata(t, "exif-gps.jpg"))
			if name != "built" {
				in = readTestdata(t, name)
			}
			out, rep := cleanPDFBytes(t, in)
			for _, want := range []struct{ label, value string }{
				{"author", "Pak Yong-ho"},
				{"company", "Korea Haegumgang Trading"},
				{"PDF producer", "macOS Quartz PDFContext"},
				{"creation date", "D:20250314092653"},
				{"document XMP: GPS latitude", "39,2.352N"},
				{"XMP on a page, image or font: author", "Pak Yong-ho"},
				{"application private data (PieceInfo)", "bytes"},
				{"comment author", "Pak Yong-ho"},
				{"embedded image: GPS position", "39.039200° N"},
				{"embedded image: camera serial number", "R58R31ABCDE"},
				{"file identifier (can link this file to its original)", "0123456789ABCDEF"},
			} {
				if name != "built" && want.label == "author" {
					want.value = "Ri Myong-chol" // exiftool's update replaced it
				}
				if !reportHas(rep, want.label, want.value) {
					t.Errorf("report lacks %s = %q", want.label, want.value)
				}
			}
			for _, s := range []string{"Pak Yong-ho", "Ri Myong-chol", "Samsung", "0123456789ABCDEF"} {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("cleaned PDF still contains %q", s)
				}
			}
			checkPDFTools(t, out)
		})
	}
}

// checkPDFTools asks pdfinfo and exiftool what they find in a cleaned PDF.
func checkPDFTools(t *testing.T, out []byte) {
	t.Helper()
	cmd := exec.Command(testenv.Need(t, "pdfinfo"), "-meta", "-")
	cmd.Stdin = bytes.NewReader(out)
	info, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	for _, bad := range []string{"Author", "Creator", "Title", "Pak", "xmpmeta", "Custom Metadata: yes", "Metadata Stream: yes"} {
		if strings.Contains(string(info), bad) {
			t.Errorf("pdfinfo finds %q in the cleaned PDF:\n%s", bad, info)
		}
	}
	fields := exiftoolFields(t, out)
	for _, bad := range []string{"Author", "Creator", "XMP", "Title", "GPS"} {
		if strings.Contains(fields, bad) {
			t.Errorf("exiftool finds %s in the cleaned PDF:\n%s", bad, fields)
		}
	}
}

func TestInspectPDFKeepsEverything(t *testing.T) {
	in := buildPDF(t, plainJPEG(t, 8, 8))
	rep, err := InspectPDF(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(Kept) != len(rep.Items) || !reportHas(rep, "author", "Pak Yong-ho") {
		t.Errorf("want every item kept, got %+v", rep.Items)
	}
}

func TestCleanPDFRefusesEncrypted(t *testing.T) {
	plain := buildPDF(t, plainJPEG(t, 8, 8))
	for _, userPW := range []string{"", "secret"} {
		var enc bytes.Buffer
		conf := model.NewAESConfiguration(userPW, "owner", 256)
		if err := api.Encrypt(bytes.NewReader(plain), &enc, conf); err != nil {
			t.Fatal(err)
		}
		_, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(enc.Bytes()), int64(enc.Len()))
		if !errors.Is(err, ErrEncryptedPDF) {
			t.Errorf("user password %q: got %v, want ErrEncryptedPDF", userPW, err)
		}
	}
}

func TestCleanPDFDamaged(t *testing.T) {
	good := buildPDF(t, plainJPEG(t, 8, 8))
	for name, in := range map[string][]byte{
		"not a PDF": []byte("PK\x03\x04"),
		"truncated": good[:len(good)/3],
		"garbage":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("obj <<"), 100)...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(in), int64(len(in)))
			if !isDamaged(err) || !strings.HasPrefix(err.Error(), "this PDF file is damaged") {
				t.Fatalf("got %v, want a DamagedError", err)
			}
		})
	}
	if _, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(good), MaxPDFSize+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}

// A reference to an object the file does not hold means null. pdfcpu gives the objects it
// adds when writing (the new information dictionary) the numbers of missing objects, so a
// reference left dangling came out pointing at the information dictionary: as the
// document's outline, a page's comments, or its page tree.
func TestCleanPDFDropsReferencesToMissingObjects(t *testing.T) {
	for name, missing := range map[string]struct{ catalog, page string }{
		"outline":  {catalog: "/Outlines 4 0 R"},
		"comments": {page: "/Annots [4 0 R 5 0 R]"},
	} {
		t.Run(name, func(t *testing.T) {
			in := []byte("%PDF-1.7\n" +
				"1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + missing.catalog + " >>\nendobj\n" +
				"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
				"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + missing.page + " >>\nendobj\n" +
				"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
			out, _ := cleanPDFBytes(t, in)
			ctx, err := api.ReadContext(bytes.NewReader(out), model.NewDefaultConfiguration())
			if err != nil {
				t.Fatal(err)
			}
			if ctx.Info == nil {
				t.Fatal("the cleaned PDF has no information dictionary")
			}
			checkInfoStandsAlone(t, ctx)
			checkPDFTools(t, out)
		})
	}
}

// checkInfoStandsAlone fails the test when an object of the document refers to its
// information dictionary, which only the trailer may.
func checkInfoStandsAlone(t *testing.T, ctx *model.Context) {
	t.Helper()
	if ctx.Info == nil {
		return
	}
	info := ctx.Info.ObjectNumber.Value()
	for nr, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		for _, ref := range references(e.Object) {
			if ref.ObjectNumber.Value() == info {
				t.Errorf("object %d refers to the information dictionary (object %d): %v", nr, info, e.Object)
			}
		}
	}
}

// references lists the indirect references held in o, at any depth.
func references(o types.Object) []types.IndirectRef {
	switch v := o.(type) {
	case types.IndirectRef:
		return []types.IndirectRef{v}
	case types.Dict:
		var out []types.IndirectRef
		for _, x := range v {
			out = append(out, references(x)...)
		}
		return out
	case types.StreamDict:
		return references(v.Dict)
	case types.Array:
		var out []types.IndirectRef
		for _, x := range v {
			out = append(out, references(x)...)
		}
		return out
	}
	return nil
}

// A document pdfcpu cannot write is damaged; a writer that fails is not.
func TestCleanPDFTellsDamageFromWriteFailure(t *testing.T) {
	noPages := []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	if _, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(noPages), int64(len(noPages))); !isDamaged(err) {
		t.Errorf("a catalog whose page tree is missing: got %v, want a DamagedError", err)
	}
	good := buildPDF(t, plainJPEG(t, 8, 8))
	_, err := CleanPDF(failingWriter{}, bytes.NewReader(good), int64(len(good)))
	if err == nil || isDamaged(err) || !errors.Is(err, errDiskFull) {
		t.Errorf("a failing writer: got %v, want its error, not a DamagedError", err)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }
