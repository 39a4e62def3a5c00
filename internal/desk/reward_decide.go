package desk

import (
	"net/http"
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
		note += " paid " + d.Payment.Paid + " " + d.Payment.Currency + " (" + tip.USD(d.Payment.ValueUSD) + ") by " + d.Payment.Method
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

// pay records the payment of an approved reward: the amount and currency
// as paid, and for a payment in another currency than US dollars (crypto)
// its value in US dollars. The store refuses a payment that is not worth
// exactly the approval, and the page says why.
func (s *Server) pay(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	p := tip.Payment{
		Paid:     r.PostFormValue("amount"),
		Currency: strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))),
		Method:   r.PostFormValue("method"),
	}
	if err := p.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Paid, _ = tip.ParsePaid(p.Paid)
	switch value := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("usd_value")), ",", ""); {
	case value != "":
		usd, err := strconv.ParseInt(value, 10, 64)
		if err != nil || usd <= 0 {
			s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The value in US dollars must be a positive whole number, such as 250000."))
			return
		}
		p.ValueUSD = usd
	case p.Currency == "USD":
		// A payment in US dollars is worth its amount; one with cents
		// is not a whole-dollar value and will not match the approval.
		p.ValueUSD, _ = strconv.ParseInt(p.Paid, 10, 64)
	}
	s.decide(w, r, store.Decision{Kind: tip.LedgerPay, Payment: p},
		&reward.Sealed{Reference: strings.TrimSpace(r.PostFormValue("reference")), PaidOn: strings.TrimSpace(r.PostFormValue("paid_on"))})
}
