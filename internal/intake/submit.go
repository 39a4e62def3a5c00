package intake

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"tipline/internal/blind"
	"tipline/internal/receipt"
	"tipline/internal/screening"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/upload"
)

// submit takes a report: streams its files into sealed staging, validates,
// cleans metadata, seals the report to a fresh tip key, wraps that key to its
// holders, commits everything at once and only then shows the receipt — in
// the response body, never in a URL or a cookie.
func (s *Server) submit(w http.ResponseWriter, r *http.Request, lang string) {
	ctx := r.Context()
	if err := s.budget.admit(ctx, r.ContentLength); err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := s.cfg.Room.Admit(r.ContentLength); err != nil {
		s.fail(w, lang, err)
		return
	}
	key, err := seal.NewKey()
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	up, err := upload.Read(w, r, s.store, key.Recipient(), s.cfg.MaxBytes)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	defer up.Discard(ctx)

	offer, err := s.chooseOffer(ctx, up.Fields.Get("offer"))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	rep := reportFromForm(up.Fields, lang)
	fieldErrs, _ := rep.Validate(offer).(tip.FieldErrors)
	files, fileErrs, err := up.Process(ctx, key, upload.Choices{KeepMetadata: rep.KeepMetadata, OthersAsIs: rep.SendOthersAsIs})
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	for k, v := range fileErrs {
		if fieldErrs == nil {
			fieldErrs = tip.FieldErrors{}
		}
		fieldErrs[k] = v
	}
	if len(fieldErrs) > 0 {
		s.renderForm(w, http.StatusUnprocessableEntity, lang, offer, rep, fieldErrs, len(up.Files) > 0)
		return
	}
	rep.Files = files

	rcpt, err := receipt.New(receipt.FormFor(lang))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	newTip, err := s.sealTip(ctx, key, offer, rep, rcpt, upload.BlobIDs(files))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	spent, err := s.budget.spend(ctx, int64(len(newTip.Content))+up.SealedBytes(files))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	if err := s.committer.commit(ctx, newTip); err != nil {
		spent.refund()
		s.fail(w, lang, err)
		return
	}
	spent.kept()

	s.renderConfirm(w, lang, rcpt.String(), files)
}

// sealTip seals the report to the tip key and wraps the key to the receipt,
// the recovery recipient and the offer's current recipients. After this the
// server holds no way to open the tip but theirs.
func (s *Server) sealTip(ctx context.Context, key *seal.Key, offer tip.Offer, rep *tip.Report, rcpt receipt.Receipt, files []string) (*store.NewTip, error) {
	sealed := screening.Screened{Report: *rep}
	if s.cfg.Screening != nil {
		outcome := s.cfg.Screening.Screen(rep)
		sealed.Screening = &outcome
	}
	plain, err := json.Marshal(sealed)
	if err != nil {
		return nil, err
	}
	// Sealed with the key itself: intake holds it until the wraps below,
	// and this spares one post-quantum encapsulation per report.
	content, err := seal.SealBytesWithKey(plain, key)
	if err != nil {
		return nil, err
	}
	wrapped, err := s.wrapForHolders(ctx, key, offer.ID)
	if err != nil {
		return nil, err
	}
	if wrapped["receipt"], err = rcpt.Wrap(key); err != nil {
		return nil, err
	}
	return &store.NewTip{
		Tip: tip.Tip{
			ID: tip.NewID(), OfferID: offer.ID, Category: rep.Category, Status: tip.StatusNew,
			WantsReward: rep.WantsReward, HasHits: sealed.Screening != nil && sealed.Screening.HasHits(),
			ReceivedAt: time.Now(),
		},
		ReceiptLookup: rcpt.LookupID(),
		WrappedKeys:   wrapped,
		Content:       content,
		StagedBlobs:   files,
		Tokens:        s.index.Tokens(blind.Terms(rep)),
	}, nil
}

// wrapForHolders wraps a tip key to the recovery recipient and to everyone
// who receives the offer's reports now.
func (s *Server) wrapForHolders(ctx context.Context, key *seal.Key, offerID string) (map[string][]byte, error) {
	out := map[string][]byte{}
	var err error
	if out["recovery"], err = seal.Wrap(key, s.recovery); err != nil {
		return nil, err
	}
	holders, err := s.store.OfferRecipients(ctx, offerID)
	if err != nil {
		return nil, err
	}
	for _, h := range holders {
		r, err := s.holders.parse(h.Recipient)
		if err != nil {
			s.log.Error("skipping an offer recipient with a damaged public key", "holder", h.Name)
			continue
		}
		if out[h.Name], err = seal.Wrap(key, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
