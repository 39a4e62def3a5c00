package seal_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"tipline/internal/seal"
)

var errSourceFailed = errors.New("the database does not answer")

// brokenReader gives the first n bytes of a sealed value, then fails.
type brokenReader struct {
	data []byte
	n    int
}

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, errSourceFailed
	}
	k := copy(p, b.data[:min(len(b.data), b.n)])
	b.data, b.n = b.data[k:], b.n-k
	return k, nil
}

func (b *brokenReader) ReadAt(p []byte, off int64) (int, error) { return 0, errSourceFailed }

// Sealed data whose source cannot be read is that failure, with its cause —
// not data this key cannot open: a database that did not answer must not read
// as a wrong key.
func TestOpeningFromAFailingSourceIsThatFailure(t *testing.T) {
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal.SealBytes([]byte("a report"), key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10} {
		_, err := seal.Open(&brokenReader{data: sealed, n: n}, key)
		if !errors.Is(err, errSourceFailed) || errors.Is(err, seal.ErrCannotOpen) {
			t.Errorf("Open after %d bytes: %v, want the source's failure", n, err)
		}
	}
	_, _, err = seal.OpenAt(&brokenReader{}, int64(len(sealed)), key)
	if !errors.Is(err, errSourceFailed) || errors.Is(err, seal.ErrCannotOpen) {
		t.Errorf("OpenAt: %v, want the source's failure", err)
	}
	// Damage is still damage.
	sealed[len(sealed)/2] ^= 1
	if r, err := seal.Open(bytes.NewReader(sealed), key); err == nil {
		if _, err = io.ReadAll(r); err == nil {
			t.Error("damaged sealed data opened")
		}
	}
}
