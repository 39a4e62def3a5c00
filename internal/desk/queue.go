package desk

import (
	"net/http"
	"strconv"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

type queuePage struct {
	Session  *account.Session
	Filter   store.QueueFilter
	Tips     []tip.Tip
	Total    int
	Page     int
	Pages    int
	Statuses []tip.StatusDef
	Offers   []tip.Offer
	Users    []tip.User
	Query    string            // the filter, for pagination links
	Shred    map[string]string // tip id -> date it will be shredded, when soon
	More     bool              // more matches than the queue counts
	HasNext  bool
	// ListWarnings say which sanctions lists are stale or failing to
	// refresh: screening is only as good as the lists in force.
	ListWarnings []string
}

// queue lists the reports the user can open, filtered and paginated.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	f := store.QueueFilter{
		Holder: sess.User.Holder(), Status: q.Get("status"), OfferID: q.Get("offer"), Category: q.Get("category"),
		Assignee: q.Get("assignee"), Label: q.Get("label"), HasHits: q.Get("hits"), Sort: q.Get("sort"), Page: max(page, 1),
	}
	tips, total, err := s.store.Queue(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	statuses, err := s.store.Statuses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	offers, err := s.store.Offers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	shred := map[string]string{}
	for _, t := range tips {
		d := s.shredDate(t.ClosedAt, t.LegalHold)
		if d == "" {
			continue
		}
		exempt, err := s.rewardExempt(r.Context(), t.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !exempt {
			shred[t.ID] = d
		}
	}
	q.Del("page")
	warnings, err := s.listWarnings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "queue", queuePage{ListWarnings: warnings,
		Session: sess, Filter: f, Tips: tips, Total: total, Page: f.Page,
		Pages: max(1, (total+store.DefaultPageSize-1)/store.DefaultPageSize), Statuses: statuses, Offers: offers, Query: q.Encode(), Shred: shred, More: total > store.CountLimit,
		HasNext: len(tips) == store.DefaultPageSize && (total > store.CountLimit || f.Page*store.DefaultPageSize < total),
	})
}
