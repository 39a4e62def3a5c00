package desk

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"tipline/internal/seal"
	"tipline/internal/tip"
)

// file sends one of a report's files, decrypted, as a download: never
// rendered inline, never with an HTML content type, whatever the source sent.
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
	h := w.Header()
	h.Set("Content-Type", safeContentType(f.Name))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": safeName(f.Name)}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", fmt.Sprint(f.Size))
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

// safeContentType never names a type a browser would render as a page.
func safeContentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".pdf":
		return "application/pdf"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// safeName keeps letters, digits and a few marks, so a file name cannot
// smuggle a path or a header.
func safeName(name string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ' ':
			return r
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`/\"'<>:;|?*%`, r):
			return '_'
		}
		return r
	}, path.Base(name))
	out = strings.TrimLeft(out, ". ")
	if out == "" {
		out = "file"
	}
	return out
}
