package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	if err := s.commitTip(ctx, key, newTip); err != nil {
		spent.refund()
		s.fail(w, lang, err)
		return
	}

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
	wrapped, recovery, err := s.wrapForHolders(ctx, key, offer.ID)
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

		RecoveryRecipient: recovery,
	}, nil
}

// wrapForHolders wraps a tip key to the recovery recipient and to everyone
// who receives the offer's reports now. It returns the recovery recipient's
// text with the wraps.
func (s *Server) wrapForHolders(ctx context.Context, key *seal.Key, offerID string) (map[string][]byte, string, error) {
	out := map[string][]byte{}
	var recovery string
	var err error
	if out["recovery"], recovery, err = s.wrapToRecovery(ctx, key); err != nil {
		return nil, "", err
	}
	holders, err := s.store.OfferRecipients(ctx, offerID)
	if err != nil {
		return nil, "", err
	}
	for _, h := range holders {
		r, err := s.holders.parse(h.Recipient)
		if err != nil {
			s.log.Error("skipping an offer recipient with a damaged public key", "holder", h.Name)
			continue
		}
		if out[h.Name], err = seal.Wrap(key, r); err != nil {
			return nil, "", err
		}
	}
	return out, recovery, nil
}

// wrapToRecovery wraps a tip key to the installation's recovery recipient in
// force: the database's once the recovery key has been rotated (read at most
// a second ago, so a rotation run by another process reaches this one), else
// the key file's.
func (s *Server) wrapToRecovery(ctx context.Context, key *seal.Key) ([]byte, string, error) {
	state, err := s.store.Recovery(ctx)
	if err != nil {
		return nil, "", err
	}
	r := s.recovery
	if state.Recipient != "" {
		if r, err = s.holders.parse(state.Recipient); err != nil {
			return nil, "", fmt.Errorf("the database's recovery recipient is damaged: %w", err)
		}
	}
	wrapped, err := seal.Wrap(key, r)
	return wrapped, r.String(), err
}

// commitTip commits a sealed tip. One whose recovery copy was wrapped to a
// recipient that a rotation retired meanwhile is wrapped to the one in force
// and committed again: the source still gets their receipt, and no report
// reaches the database wrapped to a retired recovery key.
func (s *Server) commitTip(ctx context.Context, key *seal.Key, t *store.NewTip) error {
	for attempt := 1; ; attempt++ {
		err := s.committer.commit(ctx, t)
		if !errors.Is(err, store.ErrRecoveryRotated) || attempt == 3 {
			return err
		}
		if t.WrappedKeys["recovery"], t.RecoveryRecipient, err = s.wrapToRecovery(ctx, key); err != nil {
			return err
		}
	}
}
