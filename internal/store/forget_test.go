package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// secretBytes returns a value no other byte string on disk shares.
func secretBytes(t *testing.T, what string) []byte {
	t.Helper()
	b := make([]byte, 24)
	rand.Read(b)
	return []byte("ZQX-" + what + "-" + hex.EncodeToString(b))
}

// openOnSQLite opens a store on SQLite in a fresh data folder: what is on disk
// is what these tests read.
func openOnSQLite(t *testing.T) (*store.Store, string) {
	t.Helper()
	dir := storetest.Backends(t)[0].DataDir
	s, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// whereOnDisk lists the files of the data folder — tipline.db, its WAL and
// the blob files — that hold secret.
func whereOnDisk(t *testing.T, dir string, secret []byte) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, secret) {
			found = append(found, filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// checkpointFromOutside copies the WAL into tipline.db, as SQLite's own
// checkpoints do every few thousand pages: a secret is then in both files.
func checkpointFromOutside(t *testing.T, dir string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFile)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
}

// mustBeOnDisk and mustBeGone make a test that can fail: each secret is
// first found where it was written, then nowhere once deleted.
func mustBeOnDisk(t *testing.T, dir string, secrets ...[]byte) {
	t.Helper()
	for _, s := range secrets {
		if len(whereOnDisk(t, dir, s)) == 0 {
			t.Fatalf("%s was not found on disk before its deletion: the test proves nothing", label(s))
		}
	}
}

func mustBeGone(t *testing.T, dir string, secrets ...[]byte) {
	t.Helper()
	for _, s := range secrets {
		if files := whereOnDisk(t, dir, s); len(files) > 0 {
			t.Errorf("%s survives its deletion in %v", label(s), files)
		}
	}
}

// Ending a receipt's access leaves neither its wrapped key, nor its lookup
// id, nor its sessions' keys in tipline.db or its WAL — while the store is
// open, as on a running server, whose WAL SQLite would otherwise keep.
func TestEndingReceiptAccessLeavesNothingOnDisk(t *testing.T) {
	s, dir := openOnSQLite(t)
	ctx := context.Background()
	n := newTip(newOffer(t, s))
	wrapped, lookup := secretBytes(t, "receipt-key"), secretBytes(t, "lookup")
	sessionID, sessionKey := secretBytes(t, "session-id"), secretBytes(t, "session-key")
	n.WrappedKeys["receipt"], n.ReceiptLookup = wrapped, string(lookup)
	if err := s.CommitTips(ctx, []*store.NewTip{n}); err != nil {
		t.Fatal(err)
	}
	checkpointFromOutside(t, dir)
	if err := s.CreateSourceSession(ctx, string(sessionID), n.Tip.ID, sessionKey, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustBeOnDisk(t, dir, wrapped, lookup, sessionID, sessionKey)
	if err := s.EndReceiptAccess(ctx, n.Tip.ID); err != nil {
		t.Fatal(err)
	}
	mustBeGone(t, dir, wrapped, lookup, sessionID, sessionKey)
	if _, err := s.WrappedKey(ctx, n.Tip.ID, "recovery"); err != nil {
		t.Fatalf("the desk's copy went with the receipt's: %v", err)
	}
}

// Shredding a report leaves none of its wrapped keys, content or files in
// tipline.db, its WAL or the blob folder; and a blob file is overwritten
// where it lies before it is unlinked, so the blocks it freed hold no
// sealed header (seen here through a second link to the same file).
func TestShreddingLeavesNothingOnDisk(t *testing.T) {
	s, dir := openOnSQLite(t)
	ctx := context.Background()
	fileBytes := secretBytes(t, "file")
	blobID := stage(t, s, fileBytes)
	n := newTip(newOffer(t, s), blobID)
	recovery, analyst, content, lookup := secretBytes(t, "recovery-key"), secretBytes(t, "analyst-key"), secretBytes(t, "content"), secretBytes(t, "lookup")
	n.WrappedKeys["recovery"], n.Content, n.ReceiptLookup = recovery, content, string(lookup)
	must(t, s.CommitTips(ctx, []*store.NewTip{n}))
	must(t, s.GrantTipKey(ctx, n.Tip.ID, newDeskUser(t, s, "kim").Holder(), analyst)) // grants go to existing users only
	checkpointFromOutside(t, dir)
	if err := s.AddMessage(ctx, &tip.Message{ID: tip.NewID(), TipID: n.Tip.ID, Author: tip.AuthorSource, CreatedAt: time.Now()}, secretBytes(t, "unused"), nil); err != nil {
		t.Fatal(err)
	}
	mustBeOnDisk(t, dir, recovery, analyst, content, lookup, fileBytes)
	secondLink := filepath.Join(t.TempDir(), "link")
	if err := os.Link(filepath.Join(dir, store.BlobDir, blobID), secondLink); err != nil {
		t.Fatal(err)
	}

	if err := s.ShredTip(ctx, n.Tip.ID); err != nil {
		t.Fatal(err)
	}
	mustBeGone(t, dir, recovery, analyst, content, lookup, fileBytes)
	left, err := os.ReadFile(secondLink)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(left, fileBytes) || len(bytes.Trim(left, "\x00")) != 0 {
		t.Errorf("the shredded blob file was unlinked, not overwritten: %q", left)
	}
}

// Every other deletion of secret material gets the same care: sessions'
// wrapped keys, pending security-key logins and ceremonies, revoked grants,
// the private key wrapped under a replaced password, a reset second factor,
// a withdrawn invitation's activation.
func TestEveryDeletedSecretLeavesNothingOnDisk(t *testing.T) {
	cases := []struct {
		name string
		// write stores the secrets; remove deletes (or replaces) them.
		write  func(t *testing.T, s *store.Store, user tip.User, secrets [2][]byte)
		remove func(s *store.Store, user tip.User, secrets [2][]byte) error
	}{
		{"source session ended", func(t *testing.T, s *store.Store, _ tip.User, sec [2][]byte) {
			n := newTip(newOffer(t, s))
			must(t, s.CommitTips(context.Background(), []*store.NewTip{n}))
			must(t, s.CreateSourceSession(context.Background(), string(sec[0]), n.Tip.ID, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, _ tip.User, sec [2][]byte) error {
			return s.DeleteSourceSession(context.Background(), string(sec[0]))
		}},
		{"source sessions swept", func(t *testing.T, s *store.Store, _ tip.User, sec [2][]byte) {
			n := newTip(newOffer(t, s))
			must(t, s.CommitTips(context.Background(), []*store.NewTip{n}))
			must(t, s.CreateSourceSession(context.Background(), string(sec[0]), n.Tip.ID, sec[1], time.Now().Add(-time.Second)))
		}, func(s *store.Store, _ tip.User, _ [2][]byte) error {
			return s.SweepSourceSessions(context.Background())
		}},
		{"expired desk sessions swept", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.CreateDeskSession(context.Background(), string(sec[0]), u.ID, store.SessionDesk, []byte("key"), time.Now().Add(-time.Second)))
			must(t, s.CreateWebAuthnLogin(context.Background(), "login-1", u.ID, sec[1], time.Now().Add(-time.Second)))
		}, func(s *store.Store, _ tip.User, _ [2][]byte) error { return s.SweepDeskSessions(context.Background()) }},
		{"desk session ended", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.CreateDeskSession(context.Background(), string(sec[0]), u.ID, store.SessionDesk, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.EndDeskSessions(context.Background(), u.ID, "")
		}},
		{"user disabled", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.CreateDeskSession(context.Background(), string(sec[0]), u.ID, store.SessionDesk, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.SetUserDisabled(context.Background(), u.ID, true)
		}},
		{"grant revoked", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			o := newOffer(t, s)
			for _, key := range sec {
				n := newTip(o)
				must(t, s.CommitTips(context.Background(), []*store.NewTip{n}))
				must(t, s.GrantTipKey(context.Background(), n.Tip.ID, u.Holder(), key))
			}
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.RevokeHolder(context.Background(), u.Holder(), "")
		}},
		{"security-key login ended", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.CreateWebAuthnLogin(context.Background(), "login-1", u.ID, sec[0], time.Now().Add(time.Minute)))
			must(t, s.SetWebAuthnLoginCeremony(context.Background(), "login-1", sec[1]))
		}, func(s *store.Store, _ tip.User, _ [2][]byte) error {
			return s.EndWebAuthnLogin(context.Background(), "login-1")
		}},
		{"security-key registrations taken or ended with their session", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			for i, ceremony := range sec {
				session := fmt.Sprint("sess-", i)
				must(t, s.CreateDeskSession(context.Background(), session, u.ID, store.SessionDesk, []byte("key"), time.Now().Add(time.Hour)))
				must(t, s.SetWebAuthnRegistration(context.Background(), session, ceremony, time.Now().Add(time.Minute)))
			}
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			if _, err := s.TakeWebAuthnRegistration(context.Background(), "sess-0"); err != nil {
				return err
			}
			return s.EndDeskSessions(context.Background(), u.ID, "sess-1")
		}},
		{"passphrase reset", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.SetPassword(context.Background(), u.ID, "verifier", sec[0]))
			must(t, s.CreateDeskSession(context.Background(), "sess-1", u.ID, store.SessionDesk, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			_, err := s.ResetPassphrase(context.Background(), u.ID, "code hash", time.Now().Add(time.Hour), false, func(ctx context.Context, _ store.Removal) (context.Context, error) {
				return store.WithAudit(ctx, chainSealer("cli", "user.reset_passphrase", "")), nil
			})
			return err
		}},
		{"passphrase enrolment started again", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			_, err := s.ResetPassphrase(context.Background(), u.ID, "code hash", time.Now().Add(time.Hour), false, func(ctx context.Context, _ store.Removal) (context.Context, error) {
				return store.WithAudit(ctx, chainSealer("cli", "user.reset_passphrase", "")), nil
			})
			must(t, err)
			must(t, s.StartPassphraseEnrolment(context.Background(), u.ID, sec[0], "enrol-1", sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.StartPassphraseEnrolment(context.Background(), u.ID, []byte("another sealed secret"), "enrol-2", []byte("another key"), time.Now().Add(time.Hour))
		}},
		{"passphrase chosen", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			_, err := s.ResetPassphrase(context.Background(), u.ID, "code hash", time.Now().Add(time.Hour), false, func(ctx context.Context, _ store.Removal) (context.Context, error) {
				return store.WithAudit(ctx, chainSealer("cli", "user.reset_passphrase", "")), nil
			})
			must(t, err)
			must(t, s.StartPassphraseEnrolment(context.Background(), u.ID, []byte("sealed secret"), "enrol-1", sec[0], time.Now().Add(time.Hour)))
			must(t, s.CreateDeskSession(context.Background(), "enrol-0", u.ID, store.SessionEnrol, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.CompletePassphraseReset(context.Background(), u.ID, "new verifier", "age1new", []byte("new key"), "desk-1", []byte("k"), time.Now().Add(time.Hour))
		}},
		{"password changed", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.SetPassword(context.Background(), u.ID, "verifier", sec[0]))
			must(t, s.CreateDeskSession(context.Background(), "sess-1", u.ID, store.SessionDesk, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			if err := s.SetPassword(context.Background(), u.ID, "new verifier", []byte("the key under the new password")); err != nil {
				return err
			}
			return s.EndDeskSessions(context.Background(), u.ID, "sess-1")
		}},
		{"second factor reset", func(t *testing.T, s *store.Store, u tip.User, sec [2][]byte) {
			must(t, s.ResetSecondFactor(context.Background(), u.ID, sec[0], "hash", time.Now().Add(time.Hour)))
			must(t, s.CreateDeskSession(context.Background(), "sess-1", u.ID, store.SessionDesk, sec[1], time.Now().Add(time.Hour)))
		}, func(s *store.Store, u tip.User, _ [2][]byte) error {
			return s.ResetSecondFactor(context.Background(), u.ID, []byte("a new sealed secret"), "hash", time.Now().Add(time.Hour))
		}},
		{"invitation withdrawn", func(t *testing.T, s *store.Store, _ tip.User, sec [2][]byte) {
			inv := store.Invitation{ID: "inv-1", Name: "lee", Roles: []tip.Role{tip.RoleAnalyst}, CodeHash: "h", ExpiresAt: time.Now().Add(time.Hour), CreatedAt: time.Now()}
			must(t, s.CreateInvitation(context.Background(), inv))
			must(t, s.StartActivation(context.Background(), store.Activation{ID: "act-1", InvitationID: inv.ID, PublicKey: "age1x",
				WrappedKey: sec[0], TOTPSealed: sec[1], ExpiresAt: time.Now().Add(time.Hour)}))
		}, func(s *store.Store, _ tip.User, _ [2][]byte) error {
			return s.WithdrawInvitation(context.Background(), "inv-1")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, dir := openOnSQLite(t)
			ctx := context.Background()
			u := tip.User{ID: tip.NewID(), Name: "kim", PublicKey: "age1kim", Roles: []tip.Role{tip.RoleAnalyst}, TOTPEnrolled: true}
			must(t, s.CreateUser(ctx, store.NewUser{User: u, Password: "verifier", WrappedKey: []byte("key"), TOTPSealed: []byte("totp")}))
			secrets := [2][]byte{secretBytes(t, "first"), secretBytes(t, "second")}
			c.write(t, s, u, secrets)
			checkpointFromOutside(t, dir)
			must(t, s.UseTOTPStep(ctx, u.ID, 1)) // a later commit: the WAL holds the secrets' pages too
			mustBeOnDisk(t, dir, secrets[0], secrets[1])
			must(t, c.remove(s, u, secrets))
			mustBeGone(t, dir, secrets[0], secrets[1])
		})
	}
}

// label is what a secret of secretBytes is, for messages.
func label(secret []byte) string {
	return string(secret[:bytes.LastIndexByte(secret, '-')])
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A long reader — a backup — is never kept waiting by a scrub, nor is the
// deletion that asks for it: the WAL's truncation is put off, and done by
// the next sweep once the reader has finished.
func TestAScrubWaitsForNoBackupAndIsDoneLater(t *testing.T) {
	s, dir := openOnSQLite(t)
	ctx := context.Background()
	n := newTip(newOffer(t, s))
	must(t, s.CommitTips(ctx, []*store.NewTip{n}))
	id, key := secretBytes(t, "session-id"), secretBytes(t, "session-key")
	must(t, s.CreateSourceSession(ctx, string(id), n.Tip.ID, key, time.Now().Add(time.Hour)))
	checkpointFromOutside(t, dir)

	backup, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	reading, err := backup.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var tips int
	must(t, reading.QueryRow(`SELECT COUNT(*) FROM tips`).Scan(&tips)) // holds its snapshot from here
	start := time.Now()
	must(t, s.DeleteSourceSession(ctx, string(id)))
	if took := time.Since(start); took > time.Second {
		t.Fatalf("ending a session waited %v for a backup to finish", took)
	}
	must(t, reading.QueryRow(`SELECT COUNT(*) FROM tips`).Scan(&tips))
	if len(whereOnDisk(t, dir, key)) == 0 {
		t.Fatal("the scrub went ahead under a reader that still needed the old pages")
	}
	must(t, reading.Rollback())
	must(t, s.SweepSourceSessions(ctx))
	mustBeGone(t, dir, id, key)
}
