package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A passphrase reset deletes what a removal deletes — key copies, private
// key, second factors, security keys, sessions — with the removal's
// refusals (no copy left, legal hold, a reward not denied, reports left to
// the recovery key unconfirmed), in one transaction with its audit entry;
// but keeps the user, their roles, offers and assignments, with an
// enrolment code and no key: nothing is granted or wrapped to them until
// they have chosen a new passphrase, and then to their new key.
func TestResetPassphrase(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		o := newOffer(t, s)
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		shared := commitWrapped(t, s, o, kim, lee)
		kimAlone := commitWrapped(t, s, o, kim)
		only := newTip(o)
		only.WrappedKeys = map[string][]byte{kim.Holder(): []byte("wrapped-kim")}
		must(t, s.CommitTips(ctx, []*store.NewTip{only}))
		must(t, s.Assign(ctx, shared, kim.ID, nil))
		must(t, s.CreateDeskSession(ctx, "session-of-kim", kim.ID, store.SessionDesk, []byte("k"), time.Now().Add(time.Hour)))
		must(t, s.AddWebAuthnCredential(ctx, store.WebAuthnCredential{ID: tip.NewID(), UserID: kim.ID, CredentialID: []byte{1}, PublicKey: []byte{2},
			AAGUID: make([]byte, 16), Name: "key", CreatedAt: time.Now()}))
		entries := 0
		entry := func(ctx context.Context, r store.Removal) (context.Context, error) {
			entries++
			return store.WithAudit(ctx, chainSealer("cli", "user.reset_passphrase", "")), nil
		}
		expires := time.Now().Add(24 * time.Hour)
		reset := func(leave bool) (store.Removal, error) {
			return s.ResetPassphrase(ctx, kim.ID, "code hash", expires, leave, entry)
		}
		unchanged := func(when string) {
			t.Helper()
			for _, id := range []string{shared, kimAlone, only.Tip.ID} {
				if len(holders(s, id, kim.Holder())) != 1 {
					t.Fatalf("%s: kim's key to %s is gone", when, id)
				}
			}
			if _, _, err := s.DeskSession(ctx, "session-of-kim", store.SessionDesk); err != nil {
				t.Fatalf("%s: kim's session ended: %v", when, err)
			}
			if u, _ := s.User(ctx, kim.ID); u.AwaitsPassphrase() {
				t.Fatalf("%s: kim's key pair is gone", when)
			}
			if head, _, _ := s.AuditHead(ctx); head != 0 || entries != 0 {
				t.Fatalf("%s: the audit log has %d entries", when, head)
			}
		}

		if _, err := reset(true); tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "The passphrase was not reset: 1 report would be left with no copy of its key at all") {
			t.Fatalf("a reset leaving a report with no copy: %v", err)
		}
		unchanged("refused for want of a copy")
		must(t, s.GrantTipKey(ctx, only.Tip.ID, lee.Holder(), []byte("wrapped-lee")))
		must(t, s.SetLabels(ctx, shared, nil, true))
		if _, err := reset(true); tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "1 report on legal hold") {
			t.Fatalf("a reset over a legal hold: %v", err)
		}
		unchanged("refused for a legal hold")
		must(t, s.SetLabels(ctx, shared, nil, false))
		r, err := recommend(t, s, shared, 10_000, lee.ID)
		must(t, err)
		if _, err := reset(true); tip.ErrorCode(err) != tip.CodeConflict || !strings.Contains(tip.ErrorMessage(err), "with an open, approved or paid reward") {
			t.Fatalf("a reset over a live reward: %v", err)
		}
		unchanged("refused for a live reward")
		must(t, decide(s, r.ID, tip.LedgerDeny, "committee"))

		plan, err := s.PlanPassphraseReset(ctx, kim.ID)
		if err != nil || plan.Held != 3 || !slices.Equal(plan.RecoveryOnly, []string{kimAlone}) {
			t.Fatalf("plan: %+v, %v; want 3 held, %s left to the recovery key", plan, err, kimAlone)
		}
		if _, err := reset(false); !errors.Is(err, store.ErrRecoveryOnlyUnconfirmedReset) {
			t.Fatalf("an unconfirmed reset leaving a report to the recovery key: %v", err)
		}
		unchanged("unconfirmed")

		done, err := reset(true)
		if err != nil || done.Held != 3 || len(done.RecoveryOnly) != 1 {
			t.Fatalf("reset: %+v, %v", done, err)
		}
		if head, _, _ := s.AuditHead(ctx); head != 1 || entries != 1 {
			t.Fatalf("one audit entry, in the reset's transaction: %d", head)
		}
		for _, id := range []string{shared, kimAlone, only.Tip.ID} {
			if len(holders(s, id, kim.Holder())) != 0 {
				t.Fatalf("kim still holds %s", id)
			}
		}
		if _, _, err := s.DeskSession(ctx, "session-of-kim", store.SessionDesk); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("kim's session outlived the reset: %v", err)
		}
		if keys, _ := s.WebAuthnCredentials(ctx, kim.ID); len(keys) != 0 {
			t.Fatalf("kim's security keys outlived the reset: %d", len(keys))
		}
		u, sec, err := s.UserByName(ctx, "kim")
		if err != nil || !u.AwaitsPassphrase() || u.Disabled || u.TOTPEnrolled || sec.Password != "" || len(sec.WrappedKey) != 0 || len(sec.TOTPSealed) != 0 ||
			sec.EnrolCodeHash != "code hash" || !slices.Equal(u.Roles, kim.Roles) {
			t.Fatalf("kim's record: %+v %+v, %v; want kept, with the code and no secret", u, sec, err)
		}
		if got, _ := s.Tip(ctx, shared); got.Assignee != kim.ID {
			t.Fatalf("the reset changed the report's assignee to %q", got.Assignee)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); slices.ContainsFunc(hs, func(h store.Holder) bool { return h.Name == kim.Holder() }) {
			t.Fatal("new reports are wrapped to a user with no key")
		}
		late := newTip(o)
		late.WrappedKeys[kim.Holder()] = []byte("sealed by an intake that read kim's old key")
		must(t, s.CommitTips(ctx, []*store.NewTip{late}))
		if len(holders(s, late.Tip.ID, kim.Holder())) != 0 {
			t.Fatal("a report committed after the reset kept a copy for kim")
		}
		if err := s.GrantTipKey(ctx, shared, kim.Holder(), []byte("w")); !errors.Is(err, store.ErrAwaitingPassphrase) {
			t.Fatalf("a grant to a user awaiting a passphrase: %v", err)
		}

		// The user comes back: a new second factor and key pair, then the
		// passphrase; their offers reach the new key.
		must(t, s.StartPassphraseEnrolment(ctx, kim.ID, []byte("new totp"), "enrol-1", []byte("new key"), time.Now().Add(time.Hour)))
		if _, _, err := s.DeskSession(ctx, "enrol-1", store.SessionEnrol); err != nil {
			t.Fatal(err)
		}
		must(t, s.CompletePassphraseReset(ctx, kim.ID, "new verifier", "age1kimnew", []byte("wrapped new"), "desk-1", []byte("k"), time.Now().Add(time.Hour)))
		if _, _, err := s.DeskSession(ctx, "enrol-1", store.SessionEnrol); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("the enrolment session outlived the enrolment: %v", err)
		}
		u, sec, _ = s.UserByName(ctx, "kim")
		if u.PublicKey != "age1kimnew" || !u.TOTPEnrolled || sec.Password != "new verifier" || sec.EnrolCodeHash != "" || string(sec.TOTPSealed) != "new totp" {
			t.Fatalf("after choosing a passphrase: %+v %+v", u, sec)
		}
		if hs, _ := s.OfferRecipients(ctx, o.ID); !slices.Contains(hs, store.Holder{Name: kim.Holder(), Recipient: "age1kimnew"}) {
			t.Fatalf("new reports do not reach kim's new key: %+v", hs)
		}
		if err := s.CompletePassphraseReset(ctx, kim.ID, "again", "age1again", []byte("w"), "desk-2", []byte("k"), time.Now().Add(time.Hour)); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("a second completion: %v", err)
		}
		if err := s.StartPassphraseEnrolment(ctx, kim.ID, []byte("t"), "enrol-2", []byte("k"), time.Now().Add(time.Hour)); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("an enrolment of a user not awaiting a passphrase: %v", err)
		}
	})
}
