package store_test

import (
	"context"
	"errors"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The desk always keeps one admin who can log in: disabling or removing the
// last one is refused, changing nothing, whoever asks — an admin clicking on
// their own row included. With a second admin enabled, either may go.
func TestTheLastAdminStays(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		newAdmin := func(name string) tip.User {
			t.Helper()
			u := tip.User{ID: tip.NewID(), Name: name, Roles: []tip.Role{tip.RoleAdmin}, PublicKey: "age1example" + name}
			if err := s.CreateUser(ctx, store.NewUser{User: u, Password: "verifier", WrappedKey: []byte("w"), TOTPSealed: []byte("t")}); err != nil {
				t.Fatal(err)
			}
			return u
		}
		entry := func(ctx context.Context, r store.Removal) (context.Context, error) {
			return store.WithAudit(ctx, chainSealer("cli", "user.remove", "")), nil
		}
		ada := newAdmin("ada")
		newDeskUser(t, s, "kim") // an analyst does not count

		if err := s.SetUserDisabled(ctx, ada.ID, true); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("disabling the only admin: %v", err)
		}
		if _, err := s.RemoveUser(ctx, ada.ID, true, entry); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("removing the only admin: %v", err)
		}
		if u, err := s.User(ctx, ada.ID); err != nil || u.Disabled {
			t.Fatalf("the refused changes changed ada: %+v %v", u, err)
		}

		bo := newAdmin("bo")
		if err := s.SetUserDisabled(ctx, bo.ID, true); err != nil {
			t.Fatalf("disabling one of two admins: %v", err)
		}
		// bo is disabled: ada is the last enabled admin again.
		if _, err := s.RemoveUser(ctx, ada.ID, true, entry); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("removing the last enabled admin: %v", err)
		}
		if err := s.SetUserDisabled(ctx, bo.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RemoveUser(ctx, ada.ID, true, entry); err != nil {
			t.Fatalf("removing one of two enabled admins: %v", err)
		}
	})
}
