package upload

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"tipline/internal/metadata"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// A PDF waits for its share of the memory for cleaning; when others hold it
// past the patience, the upload is refused with ErrCleaningBusy — even when
// the sender accepts files sent as they are, it is never stored uncleaned
// — and nothing it staged is left. Once the memory is free, it is cleaned.
func TestPDFCleaningWaitsForItsShareOfMemory(t *testing.T) {
	pdf, err := os.ReadFile("../metadata/testdata/info-xmp.pdf")
	if err != nil {
		t.Fatal(err)
	}
	saved := pdfMemory
	t.Cleanup(func() { pdfMemory = saved })
	pdfMemory = newMemoryShares(metadata.PDFMemory(int64(len(pdf))), 200*time.Millisecond)

	ctx := context.Background()
	b := storetest.Backends(t)[0]
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	process := func() ([]string, error) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		w, _ := mw.CreateFormFile("attachment", "manifest.pdf")
		w.Write(pdf)
		mw.Close()
		r := httptest.NewRequest("POST", "/submit", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		up, err := Read(httptest.NewRecorder(), r, st, key.Recipient(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		defer up.Discard(ctx)
		files, fe, err := up.Process(ctx, key, Choices{OthersAsIs: true})
		if len(fe) > 0 {
			t.Fatalf("field errors: %v", fe)
		}
		var names []string
		for _, f := range files {
			names = append(names, f.Name)
		}
		return names, err
	}

	held, err := pdfMemory.take(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if files, err := process(); !errors.Is(err, ErrCleaningBusy) || files != nil {
		t.Fatalf("a PDF without its share of memory: want ErrCleaningBusy, got %v and %v", files, err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("waited %v for its share, not about the patience", waited)
	}
	if n, _ := st.StoredBytes(ctx); n != 0 {
		t.Fatalf("%d bytes left staged by a refused upload", n)
	}
	held()
	if files, err := process(); err != nil || len(files) != 1 {
		t.Fatalf("with the memory free: %v, %v", files, err)
	}
}
