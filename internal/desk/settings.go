package desk

import (
	"net/http"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

type offerView struct {
	Offer      tip.Offer
	Recipients []recipientView
}

type recipientView struct {
	Holder string
	Name   string
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
		holders, err := s.store.OfferRecipients(ctx, o.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := offerView{Offer: o}
		for _, h := range holders {
			v.Recipients = append(v.Recipients, recipientView{Holder: h.Name, Name: s.holderName(r, h)})
		}
		p.Offers = append(p.Offers, v)
	}
	s.pages.Render(w, http.StatusOK, "settings", p)
}

func (s *Server) holderName(r *http.Request, h store.Holder) string {
	if len(h.Name) > 5 && h.Name[:5] == "user:" {
		return s.userName(r.Context(), h.Name[5:])
	}
	return h.Name
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
	if err != nil || !u.Has(tip.RoleAnalyst) {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "No analyst by that name."))
		return
	}
	ctx, err = s.audited(ctx, sessionOf(r), "setting.recipient.add", "", "offer "+offerID+" to "+u.Holder())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetOfferRecipient(ctx, offerID, store.Holder{Name: u.Holder(), Recipient: u.PublicKey}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

// removeRecipient stops an offer's new reports reaching a holder; with
// revoke set, their keys to the offer's existing reports are deleted too, so
// their access ends at once.
func (s *Server) removeRecipient(w http.ResponseWriter, r *http.Request) {
	ctx, offerID := r.Context(), r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	holder := r.PostFormValue("holder")
	revoke := r.PostFormValue("revoke") != ""
	action := "setting.recipient.remove"
	if revoke {
		action = "revoke"
	}
	ctx, err := s.audited(ctx, sessionOf(r), action, "", "offer "+offerID+" holder "+holder)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if revoke {
		err = s.store.RevokeHolder(ctx, holder, offerID)
	} else {
		err = s.store.RemoveOfferRecipient(ctx, offerID, holder)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}
