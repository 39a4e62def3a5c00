package desk

import (
	"net/http"
	"regexp"

	"tipline/internal/tip"
)

// removeRecipient stops an offer's new reports reaching a desk user; with
// revoke set, their keys to the offer's existing reports are deleted too, so
// their access ends at once. An admin manages users' access only: the
// receipt's and the recovery key's copies are refused here, and the store
// refuses a revoke that would touch a report on legal hold or with a live
// reward, or leave a report with no copy but the recovery key's
// (store.RevokeHolder). A refusal says why, and is audited: an admin trying
// to destroy reports is what an auditor looks for.
func (s *Server) removeRecipient(w http.ResponseWriter, r *http.Request) {
	ctx, sess, offerID := r.Context(), sessionOf(r), r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	holder := r.PostFormValue("holder")
	action := "setting.recipient.remove"
	if r.PostFormValue("revoke") != "" {
		action = "revoke"
	}
	if _, err := s.store.Offer(ctx, offerID); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.store.UserOfHolder(ctx, holder)
	if err != nil {
		s.refuse(w, r, action, "offer "+offerID+" holder "+shownHolder(holder), err)
		return
	}
	detail := "offer " + offerID + " holder " + u.Holder()
	wctx, err := s.audited(ctx, sess, action, "", detail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if action == "revoke" {
		err = s.store.RevokeHolder(wctx, u.Holder(), offerID)
	} else {
		err = s.store.RemoveOfferRecipient(wctx, offerID, u.Holder())
	}
	if err != nil {
		s.refuse(w, r, action, detail, err)
		return
	}
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

// refuse answers a refused action with its reason and records the attempt
// (action.refused), unless the error is an internal one.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, action, detail string, err error) {
	if code := tip.ErrorCode(err); code != tip.CodeInternal {
		if rerr := s.record(r.Context(), sessionOf(r), action+".refused", "", detail+" ("+string(code)+")"); rerr != nil {
			err = rerr
		}
	}
	s.fail(w, r, err)
}

// shownHolder is a holder as the audit log may name it: the form's value is
// free text, so only the names the desk knows are kept.
func shownHolder(holder string) string {
	if holder == "receipt" || holder == "recovery" || userHolderPattern.MatchString(holder) {
		return holder
	}
	return "(not a holder)"
}

var userHolderPattern = regexp.MustCompile(`^user:[a-z2-7]{26}$`) // tip.NewID's form
