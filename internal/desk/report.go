package desk

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"tipline/internal/account"
	"tipline/internal/screening"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

type reportPage struct {
	Session   *account.Session
	Tip       tip.Tip
	Report    tip.Report
	Messages  []messageView
	Notes     []noteView
	Statuses  []tip.StatusDef
	Public    tip.PublicState
	Linked    []string
	History   []store.AuditEntry
	Analysts  []tip.User
	Screening *screening.Outcome
	Actors    map[string]string // audit actor -> a name to show
	Rewards   []reportReward    // recommended on this report, oldest first
	Draft     string            // the message form's text: empty on this page
}

type reportReward struct {
	Reward      tip.Reward
	State       tip.RewardState
	Recommender string
}

type messageView struct {
	ID     string
	Author string
	When   time.Time
	Body   tip.MessageBody
}

type noteView struct {
	Author string
	When   time.Time
	Text   string
}

// openTip returns the tip and its key for the session's user, or "not found".
func (s *Server) openTip(ctx context.Context, sess *account.Session, tipID string) (tip.Tip, *seal.Key, error) {
	key, err := s.acct.OpenTip(ctx, tipID, sess.User.Holder(), sess.Key)
	if err != nil {
		return tip.Tip{}, nil, err
	}
	t, err := s.store.Tip(ctx, tipID)
	if err != nil {
		return tip.Tip{}, nil, err
	}
	t.Labels, err = s.store.Labels(ctx, tipID)
	return t, key, err
}

// report shows a report decrypted for the user: text, fields, files with
// their metadata reports, messages, notes, and what the desk tracks. The
// read is audited before anything is shown.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	t, key, err := s.openTip(ctx, sess, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.record(ctx, sess, "tip.read", id, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	p := reportPage{Session: sess, Tip: t}
	if err := s.openReport(ctx, key, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Screening, err = s.screeningOf(ctx, sess, t, &p.Report, p.Screening, key); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Statuses, err = s.store.Statuses(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Public = t.Status.Public()
	for _, d := range p.Statuses {
		if d.Code == t.Status {
			p.Public = d.Public
		}
	}
	if p.Linked, err = s.linkedVisible(ctx, sess, id); err != nil {
		s.fail(w, r, err)
		return
	}
	rewards, err := s.store.RewardsOfTip(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, rw := range rewards {
		p.Rewards = append(p.Rewards, reportReward{Reward: rw, State: rw.State(), Recommender: s.userName(ctx, rw.RecommendedBy)})
	}
	if p.History, err = s.store.ListAudit(ctx, store.AuditFilter{TipID: id, Limit: 100}); err != nil {
		s.fail(w, r, err)
		return
	}
	// One lookup per distinct actor: a report read often has a long history.
	p.Actors = map[string]string{}
	for _, e := range p.History {
		if _, done := p.Actors[e.Actor]; done {
			continue
		}
		p.Actors[e.Actor] = e.Actor
		if userID, ok := strings.CutPrefix(e.Actor, "user:"); ok {
			p.Actors[e.Actor] = s.userName(ctx, userID)
		}
	}
	s.pages.Render(w, http.StatusOK, "report", p)
}

// openReport decrypts the report, messages and notes into the page.
func (s *Server) openReport(ctx context.Context, key *seal.Key, p *reportPage) error {
	sealed, err := s.store.TipContent(ctx, p.Tip.ID)
	if err != nil {
		return err
	}
	var content screening.Screened
	if err := openJSON(sealed, key, &content); err != nil {
		return err
	}
	p.Report, p.Screening = content.Report, content.Screening
	msgs, err := s.store.Messages(ctx, p.Tip.ID)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		v := messageView{ID: m.ID, Author: string(m.Author), When: m.CreatedAt}
		if err := s.openBlobJSON(ctx, p.Tip.ID, m.BodyBlob, key, &v.Body); err != nil {
			return err
		}
		p.Messages = append(p.Messages, v)
	}
	notes, err := s.store.Notes(ctx, p.Tip.ID)
	if err != nil {
		return err
	}
	for _, n := range notes {
		var body struct{ Text string }
		if err := s.openBlobJSON(ctx, p.Tip.ID, n.BodyBlob, key, &body); err != nil {
			return err
		}
		p.Notes = append(p.Notes, noteView{Author: s.userName(ctx, n.Author), When: n.CreatedAt, Text: body.Text})
	}
	return nil
}

// linkedVisible lists the reports that share a blind-index token with this
// one and that the user can open: linking must not reveal other reports.
func (s *Server) linkedVisible(ctx context.Context, sess *account.Session, id string) ([]string, error) {
	linked, err := s.store.LinkedTips(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, other := range linked {
		if _, err := s.store.WrappedKey(ctx, other, sess.User.Holder()); err == nil {
			out = append(out, other)
		}
	}
	return out, nil
}

func (s *Server) openBlobJSON(ctx context.Context, tipID, blobID string, key *seal.Key, v any) error {
	sealed, err := s.store.ReadSmallBlob(ctx, tipID, blobID)
	if err != nil {
		return err
	}
	return openJSON(sealed, key, v)
}

func openJSON(sealed []byte, key *seal.Key, v any) error {
	plain, err := seal.OpenBytes(sealed, key)
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

func (s *Server) userName(ctx context.Context, id string) string {
	if u, err := s.store.User(ctx, id); err == nil {
		return u.Name
	}
	return id
}
