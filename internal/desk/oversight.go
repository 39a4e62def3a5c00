package desk

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"tipline/internal/account"
	"tipline/internal/reward"
	"tipline/internal/tip"
)

type oversightPage struct {
	Session *account.Session
	Totals  []reward.Totals
	Offers  map[string]string
	Ceiling string
}

// oversightTotals computes the totals from the ledger: amounts and dates
// only, never content.
func (s *Server) oversightTotals(r *http.Request) ([]reward.Totals, map[string]string, error) {
	ctx := r.Context()
	all, err := s.store.AllRewards(ctx)
	if err != nil {
		return nil, nil, err
	}
	received := map[string]time.Time{}
	for _, rw := range all {
		if _, ok := received[rw.TipID]; !ok {
			t, err := s.store.Tip(ctx, rw.TipID)
			if err != nil {
				return nil, nil, err
			}
			received[rw.TipID] = t.ReceivedAt
		}
	}
	offers, err := s.store.Offers(ctx)
	if err != nil {
		return nil, nil, err
	}
	titles := map[string]string{}
	for _, o := range offers {
		titles[o.ID] = tip.Text(o.Title, "en")
	}
	return reward.Oversight(all, received), titles, nil
}

// oversight shows the reward totals per offer and month.
func (s *Server) oversight(w http.ResponseWriter, r *http.Request) {
	totals, titles, err := s.oversightTotals(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ceiling, err := s.store.RewardCeiling(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.record(r.Context(), sessionOf(r), "oversight.read", "", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "oversight", oversightPage{Session: sessionOf(r), Totals: totals, Offers: titles, Ceiling: tip.USD(ceiling)})
}

// oversightCSV exports the same totals for the committee.
func (s *Server) oversightCSV(w http.ResponseWriter, r *http.Request) {
	totals, titles, err := s.oversightTotals(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.record(r.Context(), sessionOf(r), "oversight.export", "", "csv"); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tipline-rewards.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"offer_id", "offer", "period", "rewards", "recommended_usd", "approved_usd", "denied_usd", "paid_usd", "paid_as", "decided", "mean_days_report_to_decision"})
	for _, t := range totals {
		cw.Write([]string{t.OfferID, titles[t.OfferID], t.Period, fmt.Sprint(t.Count), fmt.Sprint(t.Recommended), fmt.Sprint(t.Approved),
			fmt.Sprint(t.Denied), fmt.Sprint(t.Paid), strings.Join(t.PaidAs, "; "), fmt.Sprint(t.DecidedCount), fmt.Sprintf("%.1f", t.MeanDaysToDecide)})
	}
	cw.Flush()
}
