package intake

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"tipline/internal/reward"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// status shows the report of a logged-in source, or the receipt form.
func (s *Server) status(w http.ResponseWriter, r *http.Request, lang string) {
	t, key, _, err := s.session(r)
	if errors.Is(store.Classify(err), store.ErrUnavailable) {
		// Not a login page: the source is logged in, and would log in again in vain.
		s.fail(w, lang, err)
		return
	}
	if err != nil {
		s.renderLogin(w, http.StatusOK, lang, "")
		return
	}
	s.renderStatus(w, r.Context(), lang, t, key, http.StatusOK, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, lang, problem string) {
	s.pages.Render(w, status, "status_login", struct {
		page
		Problem string
	}{s.page(lang), problem})
}

type messageView struct {
	Author string
	When   string
	Text   string
	Files  []fileView
}

// fileView is a file on a message; Blob is set for the desk's files, which
// the source may download.
type fileView struct{ Name, Size, Blob string }

// renderStatus opens the report and its messages with the tip key and shows
// them. Only public states are shown: never "referred".
func (s *Server) renderStatus(w http.ResponseWriter, ctx context.Context, lang string, t tip.Tip, key *seal.Key, status int, problem string) {
	l := s.catalogs.For(lang)
	sealed, err := s.store.TipContent(ctx, t.ID)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	var rep tip.Report
	if err := openJSON(sealed, key, &rep); err != nil {
		s.fail(w, lang, err)
		return
	}
	msgs, err := s.store.Messages(ctx, t.ID)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	var views []messageView
	for _, m := range msgs {
		body, err := s.store.ReadSmallBlob(ctx, t.ID, m.BodyBlob)
		if err != nil {
			s.fail(w, lang, err)
			return
		}
		var mb tip.MessageBody
		if err := openJSON(body, key, &mb); err != nil {
			s.fail(w, lang, err)
			return
		}
		v := messageView{Author: string(m.Author), When: m.CreatedAt.Format("2006-01-02 15:04 UTC"), Text: mb.Text}
		for _, f := range mb.Files {
			fv := fileView{Name: f.Name, Size: humanBytes(f.Size)}
			if m.Author == tip.AuthorDesk {
				fv.Blob = f.BlobID
			}
			v.Files = append(v.Files, fv)
		}
		views = append(views, v)
	}
	// The public state comes from the statuses table, which an admin may
	// extend; "referred" and the like never reach the source.
	state, err := s.store.PublicState(ctx, t.Status)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	reward, reason, err := s.rewardView(ctx, l, t, key)
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	s.pages.Render(w, status, "status", struct {
		page
		State          tip.PublicState
		Reward         string
		RewardReason   string
		Received       string
		Report         tip.Report
		Messages       []messageView
		MessageProblem string
	}{s.page(lang), state, reward, reason, t.ReceivedAt.Format("January 2006"), rep, views, problem})
}

// rewardView is the reward's state in the source's words: the amount only
// once approved, and the committee's reason for a denial only when it chose
// to give it.
func (s *Server) rewardView(ctx context.Context, l web.Localizer, t tip.Tip, key *seal.Key) (string, string, error) {
	rewards, err := s.store.RewardsOfTip(ctx, t.ID)
	if err != nil {
		return "", "", err
	}
	v := reward.ForSource(rewards, t.WantsReward)
	var text string
	switch v.State {
	case "none":
		text = l.T("reward_none")
	case "under_review":
		text = l.T("reward_under_review")
	case "recommended":
		text = l.T("reward_recommended")
	case "approved":
		text = l.T("reward_approved", tip.USD(v.AmountUSD))
	case "paid":
		text = l.T("reward_paid", tip.USD(v.AmountUSD))
	case "not_eligible":
		text = l.T("reward_not_eligible")
	}
	if v.ReasonOf == "" {
		return text, "", nil
	}
	sealed, err := s.store.ReadSmallBlob(ctx, t.ID, v.ReasonOf)
	if err != nil {
		return "", "", err
	}
	var d reward.Sealed
	if err := openJSON(sealed, key, &d); err != nil {
		return "", "", err
	}
	if !d.TellSource {
		return text, "", nil
	}
	return text, l.T("reward_reason", d.Reason), nil
}

func openJSON(sealed []byte, key *seal.Key, v any) error {
	plain, err := seal.OpenBytes(sealed, key)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}
