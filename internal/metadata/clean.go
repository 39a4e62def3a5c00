package metadata

import (
	"fmt"
	"io"
)

// Clean writes the file in src (size bytes, of type t as Sniff found) to dst without its
// metadata: it calls CleanJPEG, CleanPNG or CleanPDF, or CopyText for plain text. Other
// types return ErrNotCleanable, and the caller must ask the source's consent to send them
// as they are.
func Clean(dst io.Writer, src io.ReaderAt, size int64, t Type) (Report, error) {
	r := io.NewSectionReader(src, 0, size)
	switch t.Kind {
	case KindJPEG:
		return CleanJPEG(dst, r)
	case KindPNG:
		return CleanPNG(dst, r)
	case KindPDF:
		return CleanPDF(dst, src, size)
	case KindText:
		return CopyText(dst, r)
	}
	return Report{Type: t}, fmt.Errorf("%s: %w", t, ErrNotCleanable)
}

// Inspect reports the metadata of the file in src (size bytes, of type t) without
// changing it, marking every item as kept; the caller stores the file as it is. Plain
// text is checked to be text all through. Other types return ErrNotCleanable.
func Inspect(src io.ReaderAt, size int64, t Type) (Report, error) {
	r := io.NewSectionReader(src, 0, size)
	switch t.Kind {
	case KindJPEG:
		return InspectJPEG(r)
	case KindPNG:
		return InspectPNG(r)
	case KindPDF:
		return InspectPDF(src, size)
	case KindText:
		return CopyText(io.Discard, r)
	}
	return Report{Type: t}, fmt.Errorf("%s: %w", t, ErrNotCleanable)
}
