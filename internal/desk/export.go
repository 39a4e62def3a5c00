package desk

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"tipline/internal/seal"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// export sends the whole report — text, fields, files, messages and notes —
// as a tar archive sealed to a recipient the analyst enters (a partner
// agency's age public key). The plaintext exists only in memory, streamed
// into encryption; the server keeps nothing.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	t, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	to, err := seal.ParseRecipient(r.PostFormValue("recipient"))
	if err != nil {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The recipient must be an age public key (age1... or age1pq1...)."))
		return
	}
	p := reportPage{Session: sess, Tip: t}
	if err := s.openReport(ctx, key, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.record(ctx, sess, "tip.export", id, "to "+fingerprint(to)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "tipline-report-" + id + ".tar.age"}))
	sealed, err := seal.Seal(w, to)
	if err != nil {
		s.log.Error("export: failed to start sealing", "err", err)
		return
	}
	if err := s.writeArchive(r, sealed, &p, key); err != nil {
		// Headers are sent: the truncated download fails to decrypt,
		// which is the safe way to fail.
		s.log.Error("export: failed to write the archive", "err", err)
		return
	}
	sealed.Close()
}

// fingerprint names a recipient briefly in the audit log: post-quantum
// public keys are two kilobytes long.
func fingerprint(r seal.Recipient) string {
	sum := sha256.Sum256([]byte(r.String()))
	return r.String()[:min(12, len(r.String()))] + "… sha256:" + hex.EncodeToString(sum[:8])
}

func (s *Server) writeArchive(r *http.Request, out io.Writer, p *reportPage, key *seal.Key) error {
	tw := tar.NewWriter(out)
	now := time.Now().UTC()
	addJSON := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: now}); err != nil {
			return err
		}
		_, err = tw.Write(b)
		return err
	}
	meta := map[string]any{"id": p.Tip.ID, "offer": p.Tip.OfferID, "category": p.Tip.Category, "status": p.Tip.Status,
		"received": p.Tip.ReceivedAt, "labels": p.Tip.Labels, "exported": now}
	if err := addJSON("tip.json", meta); err != nil {
		return err
	}
	if err := addJSON("report.json", p.Report); err != nil {
		return err
	}
	if err := addJSON("messages.json", p.Messages); err != nil {
		return err
	}
	if err := addJSON("notes.json", p.Notes); err != nil {
		return err
	}
	files := append([]tip.File(nil), p.Report.Files...)
	for _, m := range p.Messages {
		files = append(files, m.Body.Files...)
	}
	for i, f := range files {
		name := fmt.Sprintf("files/%02d-%s", i+1, web.SafeFileName(f.Name))
		if err := s.exportFile(r, tw, key, p.Tip.ID, f, name, now); err != nil {
			return err
		}
	}
	return tw.Close()
}

// exportFile adds one file of a report to the export, its blob closed after.
func (s *Server) exportFile(r *http.Request, tw *tar.Writer, key *seal.Key, tipID string, f tip.File, name string, now time.Time) error {
	b, err := s.store.OpenBlob(r.Context(), tipID, f.BlobID)
	if err != nil {
		return err
	}
	defer b.Close()
	plain, err := seal.Open(b.Reader(), key)
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: f.Size, ModTime: now}); err != nil {
		return err
	}
	_, err = io.Copy(tw, plain)
	return err
}
