package desk

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"tipline/internal/account"
	"tipline/internal/tip"
	"tipline/internal/upload"
)

// message sends a message to the source, sealed to the tip's key, with
// optional files. Files follow the source site's rules, since their metadata
// would identify the analyst: JPEG, PNG and PDF are cleaned; other types that
// can carry metadata are refused unless the analyst ticks "send other files
// as they are". The report page then shows, per file, what was removed. The
// form may be URL-encoded or multipart.
func (s *Server) message(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var text, problem string
	var files []tip.File
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		up, err := upload.Read(w, r, s.store, key.Recipient(), s.cfg.MaxBytes)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer up.Discard(ctx)
		text = up.Fields.Get("message")
		var refused tip.FieldErrors
		files, refused, err = up.Process(ctx, key, upload.Choices{OthersAsIs: up.Fields.Get("send_others_as_is") != ""})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		problem = refusedFile(refused["attachment"])
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 2*tip.MaxMessageBytes)
		text = r.PostFormValue("message")
	}
	text = strings.TrimSpace(text)
	switch {
	case problem != "":
	case text == "" && len(files) == 0:
		problem = "Write a message or attach a file."
	case len(text) > tip.MaxMessageBytes:
		problem = fmt.Sprintf("The message is too long: at most %d bytes.", tip.MaxMessageBytes)
	}
	if problem != "" {
		s.pages.Render(w, http.StatusUnprocessableEntity, "message_retry", messageRetryPage{Session: sess, Tip: tip.Tip{ID: id}, Draft: text, Problem: problem})
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
	http.Redirect(w, r, "/tips/"+id+"#message-"+m.ID, http.StatusSeeOther)
}

// messageRetryPage is the message form again, with the analyst's text and why
// it was not sent; files must be chosen again, as browsers never refill them.
type messageRetryPage struct {
	Session        *account.Session
	Tip            tip.Tip // its ID only
	Draft, Problem string
}

// refusedFile says, in the desk's words, why a file was refused.
func refusedFile(fe tip.FieldError) string {
	switch fe.Key {
	case "":
		return ""
	case "err_file_needs_consent":
		return fmt.Sprintf("%s can carry metadata that Tipline cannot remove (the author's or the organisation's name, the software, earlier versions) and that could identify you to the source. "+
			"Send it as a PDF, JPEG or PNG, which are cleaned, or tick \"Send other files as they are\" if its metadata may reach the source.", fe.Arg)
	case "err_file_damaged":
		return fmt.Sprintf("%s could not be read, so its metadata could not be removed. Export it again, or tick \"Send other files as they are\" if its metadata may reach the source.", fe.Arg)
	}
	return fmt.Sprintf("%s was refused.", fe.Arg)
}
