package desk

import (
	"io"
	"net/http"

	"tipline/internal/seal"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// file sends one of a report's files, decrypted, as a download: never
// rendered inline, never with an HTML content type, and under a name that
// cannot hide or reorder its characters, whatever the source sent.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id, blobID := r.Context(), sessionOf(r), r.PathValue("id"), r.PathValue("blob")
	_, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.findFile(r, id, blobID, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.record(ctx, sess, "tip.file", id, "file "+blobID); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.store.OpenBlob(ctx, id, blobID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer b.Close()
	plain, err := seal.Open(b.Reader(), key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	web.Attachment(w, f.Name, f.Size)
	io.Copy(w, plain)
}

// findFile looks a blob up among the files of the report and its messages.
func (s *Server) findFile(r *http.Request, tipID, blobID string, key *seal.Key) (tip.File, error) {
	var rep tip.Report
	sealed, err := s.store.TipContent(r.Context(), tipID)
	if err != nil {
		return tip.File{}, err
	}
	if err := openJSON(sealed, key, &rep); err != nil {
		return tip.File{}, err
	}
	files := rep.Files
	msgs, err := s.store.Messages(r.Context(), tipID)
	if err != nil {
		return tip.File{}, err
	}
	for _, m := range msgs {
		var body tip.MessageBody
		if err := s.openBlobJSON(r.Context(), tipID, m.BodyBlob, key, &body); err != nil {
			return tip.File{}, err
		}
		files = append(files, body.Files...)
	}
	for _, f := range files {
		if f.BlobID == blobID {
			return f, nil
		}
	}
	return tip.File{}, tip.Errorf(tip.CodeNotFound, "no such file")
}
