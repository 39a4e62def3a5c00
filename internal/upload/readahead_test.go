package upload

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
	"time"
)

func TestReadAheadCopiesEverythingInOrder(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), readAheadSize/4+7) // several buffers and a short one
	var out bytes.Buffer
	n, err := newReadAhead(iotest.OneByteReader(bytes.NewReader(data[:5000]))).WriteTo(&out)
	if err != nil || n != 5000 || !bytes.Equal(out.Bytes(), data[:5000]) {
		t.Fatalf("small: %d, %v", n, err)
	}
	out.Reset()
	n, err = newReadAhead(bytes.NewReader(data)).WriteTo(&out)
	if err != nil || n != int64(len(data)) || !bytes.Equal(out.Bytes(), data) {
		t.Fatalf("large: %d, %v", n, err)
	}
}

// A body that breaks off is an error, never a short file taken as whole; a
// writer that fails stops the reading.
func TestReadAheadReportsEitherSidesFailure(t *testing.T) {
	broken := io.MultiReader(bytes.NewReader(make([]byte, readAheadSize+10)), iotest.ErrReader(io.ErrUnexpectedEOF))
	if _, err := newReadAhead(broken).WriteTo(io.Discard); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a broken body gave %v", err)
	}
	full := errors.New("disk full")
	w := &failingWriter{after: 1, err: full}
	if _, err := newReadAhead(bytes.NewReader(make([]byte, 10*readAheadSize))).WriteTo(w); !errors.Is(err, full) {
		t.Fatalf("a failing writer gave %v", err)
	}
}

type failingWriter struct {
	after int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after == 0 {
		return 0, w.err
	}
	w.after--
	return len(p), nil
}

// Read hands what was read to a parser that takes a little at a time, in
// order, and then the error that ended the body.
func TestReadAheadServesReadsInOrder(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), readAheadSize/4+7)
	got, err := io.ReadAll(iotest.OneByteReader(newReadAhead(bytes.NewReader(data))))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(data), err)
	}
	broken := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(io.ErrUnexpectedEOF))
	if _, err := io.ReadAll(newReadAhead(broken)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a broken body gave %v", err)
	}
}

// Stop ends a goroutine blocked on a client that stopped sending by calling
// unblock — and does not call it when the body was read to its end, when a
// read deadline would cancel the request that is about to be committed.
func TestReadAheadStopUnblocksOnlyAStalledRead(t *testing.T) {
	stalled := &stalledReader{entered: make(chan struct{}), release: make(chan struct{})}
	ra := newReadAhead(stalled)
	<-stalled.entered
	unblocked := false
	ra.Stop(0, func() { unblocked = true; close(stalled.release) })
	if !unblocked {
		t.Fatal("Stop returned without unblocking the stalled read")
	}

	ra = newReadAhead(bytes.NewReader(make([]byte, 3*readAheadSize)))
	if _, err := io.ReadAll(ra); err != nil {
		t.Fatal(err)
	}
	ra.Stop(0, func() { t.Fatal("unblock called after the body was read to its end") })

	// The end of a whole form's body that comes a little late is waited for.
	late := &stalledReader{entered: make(chan struct{}), release: make(chan struct{}), err: io.EOF}
	ra = newReadAhead(late)
	<-late.entered
	go func() {
		<-ra.stop // Stop has begun: the body ends while it waits
		close(late.release)
	}()
	ra.Stop(time.Minute, func() { t.Fatal("unblock called on a body that was ending") })
}

// stalledReader is a client that sent nothing and waits: its Read returns only
// when released — with err, or as a socket read does at its deadline.
type stalledReader struct {
	entered, release chan struct{}
	err              error
}

func (r *stalledReader) Read([]byte) (int, error) {
	close(r.entered)
	<-r.release
	if r.err != nil {
		return 0, r.err
	}
	return 0, errors.New("i/o timeout")
}
