package tip

import (
	"errors"
	"fmt"
)

// Code classifies an application error so that it can be mapped to a
// response in one place. Only CodeInternal errors are logged; users never see
// their text.
type Code string

const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeConflict     Code = "conflict"
	CodeTooLarge     Code = "too_large"
	CodeUnavailable  Code = "unavailable"
	// CodeNoRoom: the disk has no room for what was sent (507 Insufficient
	// Storage, apart from 503 so that it is counted and alerted on apart).
	CodeNoRoom   Code = "no_room"
	CodeInternal Code = "internal"
)

// Error is an application error: a code, and a message safe to show.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an application error with a message safe to show the user.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or CodeInternal for any
// other error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of an application error that is safe to
// show, or "" for an internal error, whose text must not reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// httpStatus is the one table from error codes to HTTP statuses, used by the
// source site, the desk and the desk's script alike.
var httpStatus = map[Code]int{
	CodeInvalid:      400,
	CodeNotFound:     404,
	CodeUnauthorized: 401,
	CodeForbidden:    403,
	CodeConflict:     409,
	CodeTooLarge:     413,
	CodeUnavailable:  503,
	CodeNoRoom:       507,
	CodeInternal:     500,
}

// HTTPStatus returns the HTTP status an error answers with: its code's, or
// 500 for an internal error or any error that is not an application error.
func HTTPStatus(err error) int {
	if s, ok := httpStatus[ErrorCode(err)]; ok {
		return s
	}
	return 500
}
