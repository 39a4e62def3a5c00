// Package upload reads a multipart form as a stream: text fields into
// memory, files straight into encryption, chunk by chunk, into sealed staging
// blobs — never into a plaintext temp file, which is what
// ParseMultipartForm would do. Process then cleans or inspects each staged
// file's metadata, reading it back through the tip key with random access.
package upload

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tipline/internal/metadata"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/visible"
)

const (
	maxFieldBytes = 2 * tip.MaxMessageBytes
	maxFields     = 1000
	maxFiles      = 100
	bodyBuffer    = 256 << 10 // bytes of a small request body read from the socket at a time
	// readAheadAbove is the body length, in bytes, from which a body is read
	// on a goroutine of its own.
	readAheadAbove = 1 << 20
)

// Upload is a multipart form read as a stream: its text fields in memory,
// its files already sealed into staging blobs.
type Upload struct {
	Fields url.Values
	Files  []*StagedFile

	st     *store.Store
	staged []string         // every blob staged for this upload, cleaned copies too
	sealed map[string]int64 // the sealed size of each
}

// StagedFile is a file sealed, as it arrived, into a staging blob.
type StagedFile struct {
	name string
	typ  metadata.Type
	blob string
	size int64 // sealed size
}

// Discard deletes what this upload staged and no tip or message adopted:
// call it deferred, right after Read. Adopted blobs are never touched, so it
// is safe after a successful commit too.
func (u *Upload) Discard(ctx context.Context) {
	u.st.DeleteStaged(context.WithoutCancel(ctx), u.staged...)
}

// SealedBytes is what files, as Process returned them, take in the store:
// their sealed size, for the storage quota.
func (u *Upload) SealedBytes(files []tip.File) int64 {
	var n int64
	for _, f := range files {
		n += u.sealed[f.BlobID]
	}
	return n
}

// BlobIDs lists the blobs a message or tip must adopt for its files.
func BlobIDs(files []tip.File) []string {
	ids := make([]string, len(files))
	for i, f := range files {
		ids[i] = f.BlobID
	}
	return ids
}

var bodyBuffers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bodyBuffer) }}

// Read streams a multipart body of at most maxBytes. Files go straight into
// encryption to the tip's recipient, chunk by chunk. On error, what was
// staged has already been deleted; the error is coded (too large, invalid).
func Read(w http.ResponseWriter, r *http.Request, st *store.Store, to seal.Recipient, maxBytes int64) (_ *Upload, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	// mime/multipart reads through a 4 KiB buffer, which would be one socket
	// read per 4 KiB: a larger one below it makes those reads from memory.
	// A large body is read on a goroutine of its own, ahead of the parser:
	// receiving from the socket, parsing and sealing then keep two cores
	// busy. A small one is read through a pooled buffer: a text-only report
	// must cost neither a goroutine nor fresh memory to collect.
	var body io.Reader
	if r.ContentLength < 0 || r.ContentLength > readAheadAbove {
		ahead := newReadAhead(r.Body)
		defer func() { endBodyReadAhead(w, ahead, err != nil) }()
		body = ahead
	} else {
		buffered := bodyBuffers.Get().(*bufio.Reader)
		buffered.Reset(r.Body)
		defer func() {
			buffered.Reset(nil)
			bodyBuffers.Put(buffered)
		}()
		body = buffered
	}
	text := newFormText(body)
	r.Body = struct {
		io.Reader
		io.Closer
	}{text, r.Body}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, tip.Errorf(tip.CodeInvalid, "expected multipart/form-data")
	}
	u := &Upload{Fields: url.Values{}, st: st, sealed: map[string]int64{}}
	if err := u.read(r.Context(), st, mr, text, to); err != nil {
		u.Discard(r.Context())
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, tip.Errorf(tip.CodeTooLarge, "upload too large")
		}
		if tip.ErrorCode(err) == tip.CodeInternal && !isStoreError(err) {
			return nil, tip.Errorf(tip.CodeInvalid, "malformed multipart body")
		}
		return nil, err
	}
	return u, nil
}

// bodyEndPatience is how long a whole form's body may take to reach its end
// after the closing boundary — bytes that follow it on the wire, but may come
// a Tor cell later.
const bodyEndPatience = 30 * time.Second

// endBodyReadAhead ends the goroutine that reads a body ahead of the parser.
// After a whole form it waits for the goroutine to meet the body's end: a
// read deadline would cancel the request, whose report is still to be
// committed, so it is the last resort, after bodyEndPatience, for a client
// that stops sending there. After a failure a client may have stopped
// mid-body, and its read is ended at once.
func endBodyReadAhead(w http.ResponseWriter, ahead *readAhead, failed bool) {
	patience := bodyEndPatience
	if failed {
		patience = 0
	}
	ahead.Stop(patience, func() { http.NewResponseController(w).SetReadDeadline(time.Now()) })
}

func (u *Upload) read(ctx context.Context, st *store.Store, mr *multipart.Reader, text *formText, to seal.Recipient) error {
	kept := 0 // bytes of the fields' names and values held
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n >= maxFields {
			return tip.Errorf(tip.CodeInvalid, "too many form fields")
		}
		name := part.FormName()
		if part.FileName() == "" {
			room := min(maxFieldBytes, MaxTextBytes-kept-len(name))
			v, err := io.ReadAll(io.LimitReader(part, int64(max(room, 0))+1))
			if err != nil {
				return err
			}
			if len(v) > room {
				return ErrTextTooLong
			}
			kept += len(name) + len(v)
			u.Fields.Add(name, string(v))
			continue
		}
		if name != "attachment" {
			continue // a file under an unknown name is not read into anything
		}
		if len(u.Files) >= maxFiles {
			return tip.Errorf(tip.CodeInvalid, "too many files")
		}
		f, err := stageFile(ctx, st, part, text.file(part), to)
		if err != nil {
			return err
		}
		if f != nil {
			u.Files = append(u.Files, f)
			u.staged = append(u.staged, f.blob)
			u.sealed[f.blob] = f.size
		}
	}
}

// stageFile seals one file part into a staging blob. An empty part (a file
// input left empty) stages nothing.
func stageFile(ctx context.Context, st *store.Store, part *multipart.Part, content io.Reader, to seal.Recipient) (*StagedFile, error) {
	br := bufio.NewReaderSize(content, 64<<10)
	head, err := br.Peek(metadata.SniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if len(head) == 0 {
		return nil, nil
	}
	name := safeFileName(part.FileName())
	f := &StagedFile{name: name, typ: metadata.Sniff(name, head)}
	bw, err := st.NewStagedBlob(ctx)
	if err != nil {
		return nil, storeError{err}
	}
	f.blob = bw.ID()
	sw, err := seal.Seal(storeWriter{bw}, to)
	if err == nil {
		_, err = newReadAhead(br).WriteTo(sw)
		if err == nil {
			err = closeStore(sw)
		}
	}
	if err == nil {
		err = closeStore(bw)
	}
	if err != nil {
		bw.Discard() // what arrived of a failed upload goes at once, not at the sweep
		return nil, err
	}
	f.size = bw.Size()
	return f, nil
}

// storeError marks a failure of the database, as opposed to of the client's
// body, so that it is reported as ours.
type storeError struct{ error }

func (e storeError) Unwrap() error { return e.error }

// storeWriter marks the errors of writing to the database as storeErrors.
type storeWriter struct{ w io.Writer }

func (s storeWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		err = storeError{err}
	}
	return n, err
}

func isStoreError(err error) bool {
	var se storeError
	return errors.As(err, &se)
}

// safeFileName keeps the base name a browser sent, valid UTF-8 and at most
// 200 bytes, with the characters that would hide or reorder it (controls,
// bidirectional overrides, zero-width characters) written as visible
// escapes: "invoice\u202Etxt.exe" must not read as "invoiceexe.txt" to the
// analyst who opens it. It is sealed with the tip; the desk never uses it as
// a path.
func safeFileName(name string) string {
	name = strings.ToValidUTF8(name, "?")
	name = visible.Escape(path.Base(strings.ReplaceAll(name, "\\", "/")))
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	return name
}
