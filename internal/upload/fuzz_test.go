package upload

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"tipline/internal/seal"
	"tipline/internal/store"
)

const fuzzBoundary = "fuzz-boundary"

// Read takes any body a client sends. What it accepts is what a plain
// multipart parser reads from the same bytes — the same text fields, and
// each non-empty "attachment" sealed whole, opening to the very bytes sent —
// and within its limits; what it refuses leaves nothing staged.
func FuzzRead(f *testing.F) {
	for _, form := range []func(*multipart.Writer){
		func(mw *multipart.Writer) {
			mw.WriteField("category", "oil")
			mw.WriteField("message", "Two tankers alongside off Nampo")
		},
		func(mw *multipart.Writer) {
			mw.WriteField("message", "the manifest")
			w, _ := mw.CreateFormFile("attachment", "manifest.txt")
			io.WriteString(w, "12 crates, consignee Tosong\r\n--fuzz-boundary-not\r\n")
			w, _ = mw.CreateFormFile("attachment", "../../etc/passwd\u202Etxt.exe")
			w.Write([]byte{0x89, 'P', 'N', 'G', 0, 1, 2})
			mw.CreateFormFile("attachment", "empty.txt")
			w, _ = mw.CreateFormFile("other", "ignored.bin")
			io.WriteString(w, "not read")
		},
		func(mw *multipart.Writer) {
			for range 5 {
				mw.WriteField("vessel_name", "CHON MYONG 1")
			}
		},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.SetBoundary(fuzzBoundary)
		form(mw)
		mw.Close()
		f.Add(body.Bytes())
	}
	f.Add([]byte("--" + fuzzBoundary + "\r\ngarbage without headers"))
	f.Add([]byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"))

	ctx := context.Background()
	// SQLite alone: what is fuzzed is the parsing, and scripts/fuzz runs
	// without the PostgreSQL cluster scripts/test starts.
	st, err := store.Open(ctx, f.TempDir(), "")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	key, err := seal.NewKey()
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/submit", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+fuzzBoundary)
		up, err := Read(httptest.NewRecorder(), r, st, key.Recipient(), 1<<20)
		if err != nil {
			if n, _ := st.StoredBytes(ctx); n != 0 {
				t.Fatalf("a refused body (%v) left %d bytes staged", err, n)
			}
			return
		}
		defer func() {
			up.Discard(ctx)
			if n, _ := st.StoredBytes(ctx); n != 0 {
				t.Fatalf("Discard left %d bytes staged", n)
			}
		}()

		fields, files, err := parsePlainly(body)
		if err != nil {
			t.Fatalf("Read accepted a body a plain parser refuses: %v", err)
		}
		text := 0
		for name, values := range up.Fields {
			for _, v := range values {
				text += len(name) + len(v)
			}
		}
		if text > MaxTextBytes || len(up.Files) > maxFiles {
			t.Fatalf("%d bytes of text and %d files accepted", text, len(up.Files))
		}
		if len(up.Fields) != len(fields) {
			t.Fatalf("fields %v, want %v", up.Fields, fields)
		}
		for name, values := range fields {
			got := up.Fields[name]
			if len(got) != len(values) {
				t.Fatalf("field %q: %q, want %q", name, got, values)
			}
			for i := range values {
				if got[i] != values[i] {
					t.Fatalf("field %q: %q, want %q", name, got, values)
				}
			}
		}
		if len(up.Files) != len(files) {
			t.Fatalf("%d files staged, want %d", len(up.Files), len(files))
		}
		for i, sf := range up.Files {
			if got := openStagedFile(t, st, sf.blob, key); !bytes.Equal(got, files[i]) {
				t.Fatalf("file %d opens to %q, sent %q", i, got, files[i])
			}
			if sf.name == "" || strings.ContainsAny(sf.name, "/\u202E\x00\n") || !utf8.ValidString(sf.name) {
				t.Fatalf("file name %q kept unsafe", sf.name)
			}
		}
	})
}

// parsePlainly reads a multipart body as Read should: text fields, and the
// content of each non-empty file sent as "attachment".
func parsePlainly(body []byte) (map[string][]string, [][]byte, error) {
	mr := multipart.NewReader(bytes.NewReader(body), fuzzBoundary)
	fields := map[string][]string{}
	var files [][]byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return fields, files, nil
		}
		if err != nil {
			return nil, nil, err
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case part.FileName() == "":
			fields[part.FormName()] = append(fields[part.FormName()], string(content))
		case part.FormName() == "attachment" && len(content) > 0:
			files = append(files, content)
		}
	}
}

func openStagedFile(t *testing.T, st *store.Store, blobID string, key *seal.Key) []byte {
	t.Helper()
	blob, err := st.OpenStagedBlob(context.Background(), blobID)
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	r, err := seal.Open(blob.Reader(), key)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("a staged file does not open whole: %v", err)
	}
	return plain
}
