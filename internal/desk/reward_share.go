package desk

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"tipline/internal/tip"
)

// shareReward wraps the report of an open reward, from the analyst's
// session, to the committee members who cannot read it yet: those who
// joined, or got a new key, after the recommendation shared it with the
// committee of the day. Without it they could not decide on the reward.
func (s *Server) shareReward(w http.ResponseWriter, r *http.Request) {
	ctx, sess := r.Context(), sessionOf(r)
	rw, err := s.store.Reward(ctx, r.PathValue("rid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, key, err := s.openTip(ctx, sess, rw.TipID)
	if err != nil {
		s.fail(w, r, tip.Errorf(tip.CodeNotFound, "no such reward"))
		return
	}
	shares, err := s.committeeShares(ctx, rw.TipID, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(shares) == 0 {
		s.fail(w, r, tip.Errorf(tip.CodeConflict, "Every committee member can read this report already."))
		return
	}
	holders := slices.Sorted(maps.Keys(shares))
	ctx, err = s.audited(ctx, sess, "reward.share", rw.TipID, "reward "+rw.ID+" to "+strings.Join(holders, " "))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.ShareReward(ctx, rw.ID, shares); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards/"+rw.ID, http.StatusSeeOther)
}
