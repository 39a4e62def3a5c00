package metadata

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

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
			if !IsDamaged(err) || !strings.HasPrefix(err.Error(), "this PDF file is damaged") {
				t.Fatalf("got %v, want a DamagedError", err)
			}
		})
	}
	if _, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(good), MaxPDFSize+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}
