package tip

import (
	"errors"
	"fmt"
	"testing"
)

// Every surface (source site, desk pages, the desk's script) answers an
// error with the status this table gives; a forbidden request is a 403,
// never a 500.
func TestHTTPStatus(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{Errorf(CodeInvalid, "x"), 400},
		{Errorf(CodeUnauthorized, "x"), 401},
		{Errorf(CodeForbidden, "x"), 403},
		{Errorf(CodeNotFound, "x"), 404},
		{Errorf(CodeConflict, "x"), 409},
		{Errorf(CodeTooLarge, "x"), 413},
		{Errorf(CodeUnavailable, "x"), 503},
		{Errorf(CodeNoRoom, "x"), 507},
		{Errorf(CodeInternal, "x"), 500},
		{fmt.Errorf("wrapped: %w", Errorf(CodeForbidden, "x")), 403},
		{errors.New("plain"), 500},
		{Errorf("made-up", "x"), 500},
	} {
		if got := HTTPStatus(tc.err); got != tc.want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
