package desk

import (
	"net/http"
	"strings"
	"time"

	"tipline/internal/store"
	"tipline/internal/tip"
)

// note adds an internal note, sealed to the tip's key; the source never
// sees it.
func (s *Server) note(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2*tip.MaxMessageBytes)
	text := strings.TrimSpace(r.PostFormValue("note"))
	if text == "" {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Write a note."))
		return
	}
	body, err := sealJSON(struct{ Text string }{text}, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n := &store.Note{ID: tip.NewID(), TipID: id, Author: sess.User.ID, CreatedAt: time.Now()}
	ctx, err = s.audited(ctx, sess, "tip.note", id, "note "+n.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.AddNote(ctx, n, body); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
