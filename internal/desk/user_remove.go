package desk

import (
	"context"
	"net/http"

	"tipline/internal/account"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// userRemovePage asks an admin to confirm a user's removal: what it would
// do, the reports it would leave to the recovery key alone, or why it is
// refused.
type userRemovePage struct {
	Session *account.Session
	User    tip.User
	Plan    store.Removal
	Refused string
}

// removeUser off-boards a desk user (store.RemoveUser). Posted without
// confirm=yes it changes nothing and shows what the removal would do; with
// it, the user is removed, in one transaction with the audit entry, and
// reports no other desk user holds are left to the recovery key only when
// leave_to_recovery=yes says the admin saw them. A refusal says why, and is
// audited.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request) {
	ctx, sess, id := r.Context(), sessionOf(r), r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	u, err := s.store.User(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		plan, err := s.store.PlanUserRemoval(ctx, id)
		page := userRemovePage{Session: sess, User: u, Plan: plan}
		if err != nil {
			if tip.ErrorCode(err) == tip.CodeInternal {
				s.fail(w, r, err)
				return
			}
			page.Refused = tip.ErrorMessage(err)
		}
		s.pages.Render(w, http.StatusOK, "user_remove", page)
		return
	}
	detail := "user " + u.Holder() + " (" + u.Name + ")"
	leave := r.PostFormValue("leave_to_recovery") == "yes"
	_, err = s.store.RemoveUser(ctx, id, leave, func(ctx context.Context, rm store.Removal) (context.Context, error) {
		return s.audited(ctx, sess, "user.remove", "", detail+"; "+rm.Summary())
	})
	if err != nil {
		s.refuse(w, r, "user.remove", detail, err)
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
