package metadata

import (
	"errors"
	"fmt"
)

// DamagedError reports a file that could not be parsed. Its message is meant for the
// source: it names the file type and the byte offset, never any content.
type DamagedError struct {
	Format string // "JPEG", "PNG" or "PDF"
	Offset int64  // where parsing stopped, or -1 if unknown
	Reason string // short, lower-case, without content from the file
}

func (e *DamagedError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("this %s file is damaged (%s) — it could not be checked for metadata", e.Format, e.Reason)
	}
	return fmt.Sprintf("this %s file is damaged at byte %d (%s) — it could not be checked for metadata", e.Format, e.Offset, e.Reason)
}

// ErrEncryptedPDF is returned for PDFs with an encryption dictionary: their metadata
// cannot be checked, so the source must decide whether to send them as they are.
var ErrEncryptedPDF = errors.New("this PDF is encrypted; Tipline cannot check its metadata — send it as is only if you accept that")

// ErrNotCleanable is returned by Clean and Inspect for a type Tipline does not parse.
var ErrNotCleanable = errors.New("tipline cannot check this type of file for metadata")

// ErrNotText is returned by CopyText when a file that started as plain text turns out
// to hold binary data further on.
var ErrNotText = errors.New("this file is not plain text after all — it could not be checked for metadata")

// ErrTooLarge is returned when a file is larger than this package is willing to hold
// in memory (only PDFs are held in memory; see MaxPDFSize).
var ErrTooLarge = errors.New("this file is too large to be checked for metadata")

func damaged(format string, off int64, reason string) error {
	return &DamagedError{Format: format, Offset: off, Reason: reason}
}
