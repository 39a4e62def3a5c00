package intake

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"tipline/internal/seal"
	"tipline/internal/tip"
	"tipline/internal/upload"
)

// statusMessage adds a message, with optional files, from a logged-in source.
func (s *Server) statusMessage(w http.ResponseWriter, r *http.Request, lang string) {
	ctx := r.Context()
	t, key, _, err := s.session(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := s.budget.admit(ctx, r.ContentLength); err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := s.cfg.Room.Admit(r.ContentLength); err != nil {
		s.fail(w, lang, err)
		return
	}
	up, err := upload.Read(w, r, s.store, key.Recipient(), s.cfg.MaxBytes)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	defer up.Discard(ctx)
	text := strings.TrimSpace(up.Fields.Get("message"))
	files, fileErrs, err := up.Process(ctx, key, upload.Choices{
		KeepMetadata: checked(up.Fields, "keep_metadata"), OthersAsIs: checked(up.Fields, "send_others_as_is")})
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	l := s.catalogs.For(lang)
	problem := ""
	switch {
	case len(fileErrs) > 0:
		problem = l.T(fileErrs["attachment"].Key, fileErrs["attachment"].Arg)
	case text == "" && len(files) == 0:
		problem = l.T("err_message_required")
	case len(text) > tip.MaxMessageBytes:
		problem = l.T("err_too_long", tip.MaxMessageBytes)
	}
	if problem != "" {
		s.renderStatus(w, ctx, lang, t, key, http.StatusUnprocessableEntity, problem)
		return
	}
	plain, _ := json.Marshal(tip.MessageBody{Text: text, Files: files})
	body, err := seal.SealBytes(plain, key.Recipient())
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	m := &tip.Message{ID: tip.NewID(), TipID: t.ID, Author: tip.AuthorSource, CreatedAt: time.Now()}
	spent, err := s.budget.spend(ctx, int64(len(body))+up.SealedBytes(files))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := s.store.AddMessage(ctx, m, body, upload.BlobIDs(files)); err != nil {
		spent.refund()
		s.fail(w, lang, err)
		return
	}
	http.Redirect(w, r, s.catalogs.For(lang).Path("/status"), http.StatusSeeOther)
}
