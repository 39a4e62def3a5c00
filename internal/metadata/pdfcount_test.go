package metadata

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// A PDF with more objects than MaxPDFObjects is refused before pdfcpu holds them: each
// takes memory (about 3 KiB), and a small file can hold many.
func TestCleanPDFRefusesTooManyObjects(t *testing.T) {
	many := pdfOfObjects(MaxPDFObjects + 1)
	if _, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(many), int64(len(many))); !isDamaged(err) || !strings.Contains(err.Error(), "objects") {
		t.Fatalf("%d objects: got %v, want a DamagedError", MaxPDFObjects+1, err)
	}
	fewer := pdfOfObjects(1000)
	if _, err := CleanPDF(&bytes.Buffer{}, bytes.NewReader(fewer), int64(len(fewer))); err != nil {
		t.Fatalf("1000 objects: %v", err)
	}
}

// Objects are counted whole across the chunks the file is read in, and
// words that merely hold "obj" are not counted.
func TestCountPDFObjects(t *testing.T) {
	for _, n := range []int{0, 1, 70_000} { // 70,000 objects: several chunks
		pdf := pdfOfObjects(n)
		pdf = append(pdf, "% an object, objects, endobj\n1 0 obj"...) // the last, at the very end
		if got, err := countPDFObjects(bytes.NewReader(pdf), int64(len(pdf)), 1<<30); err != nil || got != n+4 {
			t.Errorf("%d objects (and 4 more): counted %d, %v", n, got, err)
		}
	}
}

// pdfOfObjects is a one-page PDF with n more small objects, and a classic xref table.
func pdfOfObjects(n int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	var offs []int
	for i := range len(objs) + n {
		offs = append(offs, b.Len())
		if i < len(objs) {
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, objs[i])
		} else {
			fmt.Fprintf(&b, "%d 0 obj<< /N %d >>endobj\n", i+1, i)
		}
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}
