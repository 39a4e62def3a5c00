package upload

import (
	"io"

	"tipline/internal/tip"
)

// MaxTextBytes bounds the text of one form: every byte of it but the files'
// content — fields, their names, part headers and boundaries — whatever the
// number of fields. The longest report the form can hold is about 330 KB as
// a browser sends it: a message of tip.MaxMessageBytes, whose line breaks a
// browser doubles to CRLF (200 KB), "when" and "where" at tip.MaxFieldBytes
// (40 KB doubled), four lists of tip.MaxListLines lines (about 80 KB of
// names and wallets) and the ship rows. 512 KiB leaves room for that, and
// holds in memory at most that much per request where a stranger could
// otherwise send up to maxFields fields of maxFieldBytes each (200 MB).
const MaxTextBytes = 512 << 10

// ErrTextTooLong refuses a form whose text passes MaxTextBytes.
var ErrTextTooLong = tip.Errorf(tip.CodeTooLarge, "the text of the form is too long")

// formText counts what the multipart parser reads of a body, and what of it
// is files' content, and fails the parser's reads once the rest — the
// form's text — passes MaxTextBytes. It sits right under the parser, so it
// also bounds what the parser itself holds: a part's header may otherwise
// be 10 MiB. The parser reads at most a few KiB ahead of what it hands
// out, so a few KiB of a file's content may be counted as text for a while:
// limit allows for it.
type formText struct {
	r     io.Reader
	limit int64
	read  int64 // bytes the parser took from the body
	files int64 // bytes of files' content the parser handed out
}

// parserReadAhead bounds how far the parser reads ahead of what it hands
// out (mime/multipart's buffer is 4 KiB).
const parserReadAhead = 64 << 10

func newFormText(r io.Reader) *formText {
	return &formText{r: r, limit: MaxTextBytes + parserReadAhead}
}

func (t *formText) Read(p []byte) (int, error) {
	if t.read-t.files > t.limit {
		return 0, ErrTextTooLong
	}
	n, err := t.r.Read(p)
	t.read += int64(n)
	return n, err
}

// file counts what is read from r as a file's content.
func (t *formText) file(r io.Reader) io.Reader { return &fileContent{r: r, t: t} }

type fileContent struct {
	r io.Reader
	t *formText
}

func (f *fileContent) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.t.files += int64(n)
	return n, err
}
