package desk

import (
	"net/http"

	"tipline/internal/account"
	"tipline/internal/tip"
)

type offerView struct {
	Offer      tip.Offer
	Recipients []recipientView
}

type recipientView struct {
	Holder   string
	Name     string
	Disabled bool // subscribed, but receives nothing until enabled
}

type settingsPage struct {
	Session  *account.Session
	Statuses []tip.StatusDef
	Offers   []offerView
}

// settings shows the statuses and, per offer, who receives its new reports.
// An admin edits public keys lists here and opens nothing.
func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := settingsPage{Session: sessionOf(r)}
	var err error
	if p.Statuses, err = s.store.Statuses(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	offers, err := s.store.Offers(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range offers {
		subs, err := s.store.OfferSubscriptions(ctx, o.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := offerView{Offer: o}
		for _, sub := range subs {
			v.Recipients = append(v.Recipients, recipientView{Holder: sub.Holder, Name: sub.Name, Disabled: sub.Disabled})
		}
		p.Offers = append(p.Offers, v)
	}
	s.pages.Render(w, http.StatusOK, "settings", p)
}

// addStatus adds a status, mapped to the public state its source sees.
func (s *Server) addStatus(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	code, public := tip.Status(r.PostFormValue("code")), tip.PublicState(r.PostFormValue("public_state"))
	if err := tip.ValidateStatus(code, public); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, err := s.audited(r.Context(), sessionOf(r), "setting.status", "", string(code)+" -> "+string(public))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.AddStatus(ctx, code, public); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

// addRecipient makes an analyst receive an offer's new reports. Older ones
// need a grant from someone who can open them.
func (s *Server) addRecipient(w http.ResponseWriter, r *http.Request) {
	ctx, offerID := r.Context(), r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if _, err := s.store.Offer(ctx, offerID); err != nil {
		s.fail(w, r, err)
		return
	}
	u, _, err := s.store.UserByName(ctx, r.PostFormValue("name"))
	if err != nil || !u.Has(tip.RoleAnalyst) || u.Disabled {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "No enabled analyst by that name."))
		return
	}
	ctx, err = s.audited(ctx, sessionOf(r), "setting.recipient.add", "", "offer "+offerID+" to "+u.Holder())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.AddOfferRecipient(ctx, offerID, u.Holder()); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}
