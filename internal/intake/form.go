package intake

import (
	"errors"
	"net/http"

	"tipline/internal/tip"
	"tipline/internal/web"
)

// maxSmallForm bounds the forms that carry no report: a receipt, a
// confirmation.
const maxSmallForm = 64 << 10

// readSmallForm reads a URL-encoded form. A body the guard ended (too slow,
// or the slowest when too many arrive at once) is told as such; any other
// failure is a form that could not be read.
func readSmallForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSmallForm)
	err := r.ParseForm()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, web.ErrBodyTooSlow), errors.Is(err, web.ErrBodyCrowded):
		return err
	}
	return tip.Errorf(tip.CodeInvalid, "the form could not be read")
}
