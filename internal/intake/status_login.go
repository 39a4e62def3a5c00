package intake

import (
	"errors"
	"net/http"

	"tipline/internal/disk"
	"tipline/internal/receipt"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

// statusLogin opens a report with its receipt. A wrong receipt gets a clear
// message after a wait (see guessGate); a right one is never delayed.
func (s *Server) statusLogin(w http.ResponseWriter, r *http.Request, lang string) {
	ctx := r.Context()
	if err := readSmallForm(w, r); err != nil {
		s.fail(w, lang, err)
		return
	}
	readings, err := receipt.Parse(r.PostForm.Get("receipt"))
	if err != nil {
		s.guesses.wait(ctx)
		problem := "receipt_shape"
		if errors.Is(err, receipt.ErrTypo) {
			problem = "receipt_typo"
		}
		s.renderLogin(w, http.StatusOK, lang, problem)
		return
	}
	for _, rc := range readings {
		t, err := s.store.TipByReceipt(ctx, rc.LookupID())
		if tip.ErrorCode(err) == tip.CodeNotFound {
			continue
		}
		if err != nil {
			s.fail(w, lang, err)
			return
		}
		key, err := s.openWithReceipt(r, t, rc)
		if err != nil {
			s.fail(w, lang, err)
			return
		}
		// With no room on the disk for a session, the receipt still opens
		// the report: the source reads it now, and logs in again to reply
		// once there is room.
		if err := s.startSession(ctx, w, r, t.ID, key); err != nil && !errors.Is(err, disk.ErrFull) {
			s.fail(w, lang, err)
			return
		}
		s.renderStatus(w, ctx, lang, t, key, http.StatusOK, "")
		return
	}
	s.guesses.wait(ctx)
	s.renderLogin(w, http.StatusOK, lang, "receipt_not_found")
}

func (s *Server) openWithReceipt(r *http.Request, t tip.Tip, rc receipt.Receipt) (*seal.Key, error) {
	wrapped, err := s.store.WrappedKey(r.Context(), t.ID, "receipt")
	if err != nil {
		return nil, err
	}
	return rc.Unwrap(wrapped)
}
