package desk

import (
	"net/http"
	"strings"
	"time"

	"tipline/internal/tip"
	"tipline/internal/upload"
)

// message sends a message to the source, sealed to the tip's key, with
// optional files (their metadata removed: it would identify the analyst).
// The form may be URL-encoded or multipart.
func (s *Server) message(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var text string
	var files []tip.File
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		up, err := upload.Read(w, r, s.store, key.Recipient(), s.cfg.MaxBytes)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer up.Discard(ctx)
		text = up.Fields.Get("message")
		if files, _, err = up.Process(ctx, key, upload.Choices{OthersAsIs: true}); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 2*tip.MaxMessageBytes)
		text = r.PostFormValue("message")
	}
	text = strings.TrimSpace(text)
	if text == "" && len(files) == 0 {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Write a message or attach a file."))
		return
	}
	body, err := sealJSON(tip.MessageBody{Text: text, Files: files}, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := &tip.Message{ID: tip.NewID(), TipID: id, Author: tip.AuthorDesk, CreatedAt: time.Now()}
	audited, err := s.audited(ctx, sess, "tip.message", id, "message "+m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.AddMessage(audited, m, body, upload.BlobIDs(files)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tips/"+id, http.StatusSeeOther)
}
