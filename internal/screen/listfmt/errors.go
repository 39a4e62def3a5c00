package listfmt

import (
	"errors"
	"fmt"
)

var (
	// ErrTruncated is wrapped by every error that shows the input ended
	// early, so that an importer can tell the user to download again.
	ErrTruncated = errors.New("input is truncated")
	// ErrImplausible is wrapped when a file parses but its content cannot be
	// a real list: no entries, or a record count the file contradicts.
	ErrImplausible = errors.New("implausible list")
	// ErrUnknownFormat is returned by Detect for content it does not know.
	ErrUnknownFormat = errors.New("unknown list format")
)

// ParseError says which file format was being read, where the problem is, and
// what it is: "ofac csv: sdn.csv: line 4132: expected 12 fields, found 7".
type ParseError struct {
	Format string // "un xml", "ofac csv", "ofac xml", "un vessels html"
	File   string // set when a format has several files (the OFAC CSV set)
	Where  string // "line 4132", "byte 1234 in CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[12]"
	Err    error
}

func (e *ParseError) Error() string {
	s := e.Format + ": "
	if e.File != "" {
		s += e.File + ": "
	}
	if e.Where != "" {
		s += e.Where + ": "
	}
	return s + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// truncatedError explains how the input ends early and wraps ErrTruncated.
type truncatedError struct{ msg string }

func (e truncatedError) Error() string { return e.msg + " (is the file truncated?)" }
func (e truncatedError) Unwrap() error { return ErrTruncated }

func truncated(format string, args ...any) error {
	return truncatedError{fmt.Sprintf(format, args...)}
}
