package intake

import (
	"io"
	"net/http"

	"tipline/internal/seal"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// statusFile sends a logged-in source a file the desk attached to a message
// on their report, decrypted with the tip key their session holds, as a
// download that is never rendered, sniffed or cached. Only the desk's files of
// this session's own report are served: any other blob id, of another report
// or of the source's own files, is "not found".
func (s *Server) statusFile(w http.ResponseWriter, r *http.Request, lang string) {
	ctx, blobID := r.Context(), r.PathValue("blob")
	t, key, _, err := s.session(r)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	f, err := s.deskFile(r, t.ID, blobID, key)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	b, err := s.store.OpenBlob(ctx, t.ID, f.BlobID)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	defer b.Close()
	plain, err := seal.Open(b.Reader(), key)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	web.Attachment(w, f.Name, f.Size)
	io.Copy(w, plain)
}

// deskFile looks a blob up among the files the desk attached to messages on
// the tip.
func (s *Server) deskFile(r *http.Request, tipID, blobID string, key *seal.Key) (tip.File, error) {
	msgs, err := s.store.Messages(r.Context(), tipID)
	if err != nil {
		return tip.File{}, err
	}
	for _, m := range msgs {
		if m.Author != tip.AuthorDesk {
			continue
		}
		sealed, err := s.store.ReadSmallBlob(r.Context(), tipID, m.BodyBlob)
		if err != nil {
			return tip.File{}, err
		}
		var body tip.MessageBody
		if err := openJSON(sealed, key, &body); err != nil {
			return tip.File{}, err
		}
		for _, f := range body.Files {
			if f.BlobID == blobID {
				return f, nil
			}
		}
	}
	return tip.File{}, tip.Errorf(tip.CodeNotFound, "no such file")
}
