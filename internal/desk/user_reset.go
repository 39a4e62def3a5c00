package desk

import (
	"context"
	"fmt"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// userResetPage asks an admin to confirm a passphrase reset: what it would
// do, the reports it would leave to the recovery key alone, or why it is
// refused.
type userResetPage struct {
	Session *account.Session
	User    tip.User
	Plan    store.Removal
	Refused string
}

// resetPassphrase resets a user's forgotten passphrase
// (account.ResetPassphrase). Posted without confirm=yes it changes nothing
// and shows what the reset would do; with it, the reset and its audit entry
// commit in one transaction, reports no other desk user holds are left to
// the recovery key only when leave_to_recovery=yes says the admin saw them,
// and the enrolment code is shown once. A refusal says why, and is audited.
// An admin's own passphrase is not reset here: they know it, since they are
// logged in.
func (s *Server) resetPassphrase(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	u, err := s.store.User(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u.ID == sess.User.ID {
		s.fail(w, r, tip.Errorf(tip.CodeConflict, "You cannot reset your own passphrase: you know it, since you are logged in. If you must, another admin can reset it, or tipline user reset-passphrase on the server."))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		plan, err := s.store.PlanPassphraseReset(ctx, id)
		page := userResetPage{Session: sess, User: u, Plan: plan}
		if err != nil {
			if tip.ErrorCode(err) == tip.CodeInternal {
				s.fail(w, r, err)
				return
			}
			page.Refused = tip.ErrorMessage(err)
		}
		s.pages.Render(w, http.StatusOK, "user_reset", page)
		return
	}
	detail := "user " + u.Holder() + " (" + u.Name + ")"
	leave := r.PostFormValue("leave_to_recovery") == "yes"
	done, err := s.acct.ResetPassphrase(ctx, id, leave, func(ctx context.Context, rm store.Removal) (context.Context, error) {
		return s.audited(ctx, sess, "user.reset_passphrase", "", detail+"; "+rm.Summary()+"; enrolment code issued, good for "+account.EnrolCodeTTL.String())
	})
	if err != nil {
		s.refuse(w, r, "user.reset_passphrase", detail, err)
		return
	}
	s.pages.Render(w, http.StatusOK, "enrol_code", enrolCodePage{Session: sess, Name: u.Name, Passphrase: true, Code: done.EnrolCode,
		Expires: fmt.Sprintf("%d hours", int(account.EnrolCodeTTL.Hours()))})
}
