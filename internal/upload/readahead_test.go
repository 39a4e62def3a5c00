package upload

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
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
