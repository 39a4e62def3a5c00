package desk

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tipline/internal/reward"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// decide runs a committee decision on a reward; the store enforces the
// rules (two distinct members, never the recommender, the cap) in one
// transaction, and refusals come back as 4xx pages that say why.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, d store.Decision, detail *reward.Sealed) {
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
	if detail != nil {
		if d.Sealed, err = sealJSON(detail, key); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.RewardID, d.Actor = rw.ID, sess.User.ID
	note := "reward " + rw.ID
	if d.Kind == tip.LedgerPay {
		note += " paid " + strconv.FormatInt(d.Amount, 10) + " " + d.Currency + " by " + d.Method
	}
	ctx, err = s.audited(ctx, sess, "reward."+string(d.Kind), rw.TipID, note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.Decide(ctx, d); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rewards/"+rw.ID, http.StatusSeeOther)
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	s.decide(w, r, store.Decision{Kind: tip.LedgerApprove}, nil)
}

func (s *Server) deny(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "Give the reason for the denial (it is shown to the source only if you tick the box)."))
		return
	}
	s.decide(w, r, store.Decision{Kind: tip.LedgerDeny}, &reward.Sealed{Reason: reason, TellSource: r.PostFormValue("tell_source") != ""})
}

func (s *Server) pay(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	amount, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("amount")), ",", ""), 10, 64)
	method := r.PostFormValue("method")
	currency := strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency")))
	switch {
	case err != nil || amount <= 0:
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The amount paid must be a positive whole number in the currency's units."))
		return
	case !slices.Contains(tip.PaymentMethods, method):
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The method must be bank, cash or crypto."))
		return
	case len(currency) < 3 || len(currency) > 5:
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The currency is a code such as USD, EUR or XBT."))
		return
	}
	s.decide(w, r, store.Decision{Kind: tip.LedgerPay, Amount: amount, Currency: currency, Method: method},
		&reward.Sealed{Reference: strings.TrimSpace(r.PostFormValue("reference")), PaidOn: strings.TrimSpace(r.PostFormValue("paid_on"))})
}
