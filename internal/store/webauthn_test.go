package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

func newDeskUser(t *testing.T, s *store.Store, name string) tip.User {
	t.Helper()
	u := tip.User{ID: tip.NewID(), Name: name, Roles: []tip.Role{tip.RoleAnalyst}, PublicKey: "age1example" + name}
	if err := s.CreateUser(context.Background(), store.NewUser{User: u, Password: "verifier", WrappedKey: []byte("w"), TOTPSealed: []byte("t")}); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestWebAuthnCredentials(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		kim, lee := newDeskUser(t, s, "kim"), newDeskUser(t, s, "lee")
		c := store.WebAuthnCredential{ID: tip.NewID(), UserID: kim.ID, CredentialID: []byte{1, 2, 3}, PublicKey: []byte{0xa5}, SignCount: 7,
			Transports: []string{"usb", "nfc"}, AAGUID: make([]byte, 16), Flags: 0x41, Name: "Blue key", CreatedAt: time.Now()}
		if err := s.AddWebAuthnCredential(ctx, c); err != nil {
			t.Fatal(err)
		}
		dup := c
		dup.ID, dup.UserID = tip.NewID(), lee.ID
		if err := s.AddWebAuthnCredential(ctx, dup); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("the same credential id twice: %v", err)
		}
		got, err := s.WebAuthnCredentials(ctx, kim.ID)
		if err != nil || len(got) != 1 {
			t.Fatalf("got %v %v", got, err)
		}
		g := got[0]
		if string(g.CredentialID) != "\x01\x02\x03" || g.SignCount != 7 || len(g.Transports) != 2 || g.Flags != 0x41 || g.Name != "Blue key" || !g.LastUsedAt.IsZero() {
			t.Fatalf("round trip: %+v", g)
		}

		// The counter must move forward.
		for _, step := range []struct {
			count uint32
			ok    bool
		}{{8, true}, {8, false}, {3, false}, {0, false}, {100, true}} {
			err := s.UseWebAuthnCredential(ctx, c.ID, step.count, 0x41)
			if ok := err == nil; ok != step.ok {
				t.Fatalf("counter %d: %v", step.count, err)
			}
			if !step.ok && !errors.Is(err, store.ErrSignCountBackwards) {
				t.Fatalf("counter %d: %v", step.count, err)
			}
		}
		// Authenticators without a counter send zero every time.
		zero := store.WebAuthnCredential{ID: tip.NewID(), UserID: lee.ID, CredentialID: []byte{9}, PublicKey: []byte{1}, Name: "passkey", CreatedAt: time.Now()}
		if err := s.AddWebAuthnCredential(ctx, zero); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := s.UseWebAuthnCredential(ctx, zero.ID, 0, 0x19); err != nil {
				t.Fatalf("a counter-less key: %v", err)
			}
		}

		if err := s.RemoveWebAuthnCredential(ctx, lee.ID, c.ID); tip.ErrorCode(err) != tip.CodeNotFound {
			t.Fatalf("another user's key removed: %v", err)
		}
		if err := s.RemoveWebAuthnCredential(ctx, kim.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.WebAuthnCredentials(ctx, kim.ID); len(got) != 0 {
			t.Fatalf("still there: %v", got)
		}
	})
}

func TestWebAuthnPendingLoginsAndRegistrations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		kim := newDeskUser(t, s, "kim")
		if err := s.CreateWebAuthnLogin(ctx, "p1", kim.ID, []byte("wrapped"), time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateWebAuthnLogin(ctx, "old", kim.ID, []byte("wrapped"), time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.WebAuthnLogin(ctx, "old"); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("an expired pending login: %v", err)
		}
		userID, wrapped, ceremony, err := s.WebAuthnLogin(ctx, "p1")
		if err != nil || userID != kim.ID || string(wrapped) != "wrapped" || ceremony != nil {
			t.Fatalf("got %q %q %q %v", userID, wrapped, ceremony, err)
		}
		if err := s.SetWebAuthnLoginCeremony(ctx, "p1", []byte(`{"challenge":"x"}`)); err != nil {
			t.Fatal(err)
		}
		if _, _, ceremony, _ := s.WebAuthnLogin(ctx, "p1"); string(ceremony) != `{"challenge":"x"}` {
			t.Fatalf("ceremony %q", ceremony)
		}
		if err := s.SetUserDisabled(ctx, kim.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := s.WebAuthnLogin(ctx, "p1"); err == nil {
			t.Fatal("a disabled user's pending login is live")
		}
		s.SetUserDisabled(ctx, kim.ID, false)
		if err := s.EndWebAuthnLogin(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		if err := s.EndWebAuthnLogin(ctx, "p1"); err == nil {
			t.Fatal("a pending login ended twice")
		}

		// A registration is taken once, and only before it expires.
		if err := s.CreateDeskSession(ctx, "s1", kim.ID, store.SessionDesk, []byte("w"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetWebAuthnRegistration(ctx, "s1", []byte("first"), time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetWebAuthnRegistration(ctx, "s1", []byte("second"), time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.TakeWebAuthnRegistration(ctx, "s1"); err != nil || string(got) != "second" {
			t.Fatalf("got %q %v", got, err)
		}
		if _, err := s.TakeWebAuthnRegistration(ctx, "s1"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("taken twice: %v", err)
		}
		s.SetWebAuthnRegistration(ctx, "s1", []byte("late"), time.Now().Add(-time.Second))
		if _, err := s.TakeWebAuthnRegistration(ctx, "s1"); tip.ErrorCode(err) != tip.CodeConflict {
			t.Fatalf("an expired registration: %v", err)
		}
	})
}
