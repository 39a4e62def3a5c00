package account_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/account"
	"tipline/internal/auth"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// cheap argon2id parameters keep tests fast; production uses DefaultParams.
var cheap = auth.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

const passphrase = "correct horse battery staple"

type fixture struct {
	svc    *account.Service
	now    time.Time
	secret string // kim's TOTP secret
	kim    tip.User
}

func newFixture(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	f := &fixture{now: time.Now()}
	f.svc = &account.Service{Store: s, Hasher: auth.NewHasher(cheap, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{FirstDelay: time.Millisecond, GlobalDelay: time.Millisecond}),
		Now: func() time.Time { return f.now }}
	created, err := f.svc.Create(context.Background(), "kim", passphrase, []tip.Role{tip.RoleAnalyst}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	key, err := otp.NewKeyFromURL(created.TOTPURI)
	if err != nil {
		t.Fatal(err)
	}
	f.secret, f.kim = key.Secret(), created.User
	return f
}

// code returns a fresh code of kim's authenticator, a step later each time.
func (f *fixture) code() string {
	f.now = f.now.Add(30 * time.Second)
	c, _ := totp.GenerateCode(f.secret, f.now)
	return c
}

func TestLoginNeedsBothFactors(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		ctx := context.Background()
		for _, c := range []account.Credentials{
			{Name: "kim", Password: "wrong passphrase entirely", Code: f.code()},
			{Name: "kim", Password: passphrase},
			{Name: "kim", Password: passphrase, Code: "000000"},
			{Name: "nobody", Password: passphrase, Code: f.code()},
		} {
			if _, _, err := f.svc.Login(ctx, c); !errors.Is(err, account.ErrBadLogin) {
				t.Errorf("%+v: got %v, want ErrBadLogin", c, err)
			}
		}
		code := f.code()
		u, key, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: code})
		if err != nil || u.ID != f.kim.ID || key.Recipient().String() != f.kim.PublicKey {
			t.Fatalf("a right login: %v", err)
		}
		if _, _, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: code}); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("a code used twice: %v", err)
		}
		if err := s.SetUserDisabled(ctx, f.kim.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: f.code()}); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("a disabled user logged in: %v", err)
		}
	})
}

// A session's cookie opens it and nothing else: not as an enrolment, not
// once tampered with, not after the user is disabled.
func TestSessionsOpenOnlyWithTheirCookie(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		ctx := context.Background()
		u, key, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: f.code()})
		if err != nil {
			t.Fatal(err)
		}
		cookie, err := f.svc.StartSession(ctx, u, key)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := f.svc.Session(ctx, cookie)
		if err != nil || sess.User.ID != u.ID || sess.Key.Recipient().String() != u.PublicKey {
			t.Fatalf("the session does not open: %v", err)
		}
		if _, err := f.svc.EnrolSession(ctx, cookie); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("a desk session opened as an enrolment: %v", err)
		}
		tampered := []byte(cookie)
		tampered[len(tampered)-1] ^= 1
		if _, err := f.svc.Session(ctx, string(tampered)); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("a tampered cookie: %v", err)
		}
		if err := s.SetUserDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Session(ctx, cookie); tip.ErrorCode(err) != tip.CodeUnauthorized {
			t.Fatalf("a disabled user's session: %v", err)
		}
	})
}

// After a reset, the password alone opens nothing; the password with the
// enrolment code opens an enrolment, which confirming turns into a new
// desk session and which spends the code.
func TestResetAndEnrolment(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		ctx := context.Background()
		code, err := f.svc.ResetSecondFactor(ctx, f.kim.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []account.Credentials{
			{Name: "kim", Password: passphrase},
			{Name: "kim", Password: passphrase, Code: f.code()},
			{Name: "kim", Password: "wrong passphrase entirely", EnrolCode: code},
		} {
			if _, _, err := f.svc.Login(ctx, c); !errors.Is(err, account.ErrBadLogin) {
				t.Errorf("%+v after a reset: got %v, want ErrBadLogin", c, err)
			}
		}
		u, key, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, EnrolCode: code})
		if !errors.Is(err, account.ErrMustEnrol) {
			t.Fatalf("with the enrolment code: %v", err)
		}
		if _, err := f.svc.StartSession(ctx, u, key); err != nil {
			t.Fatal(err)
		}
		enrolCookie, err := f.svc.StartEnrolSession(ctx, u, key)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := f.svc.EnrolSession(ctx, enrolCookie)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Session(ctx, enrolCookie); err == nil {
			t.Fatal("an enrolment session opened as a desk session")
		}
		uri, err := f.svc.Enrolment(ctx, sess)
		if err != nil {
			t.Fatal(err)
		}
		newKey, _ := otp.NewKeyFromURL(uri)
		f.secret = newKey.Secret()
		if _, err := f.svc.ConfirmEnrolment(ctx, sess, "WRONG-CODE", f.code()); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("confirming with a wrong enrolment code: %v", err)
		}
		deskCookie, err := f.svc.ConfirmEnrolment(ctx, sess, code, f.code())
		if err != nil {
			t.Fatal(err)
		}
		if deskCookie == enrolCookie {
			t.Fatal("enrolment kept the enrolment session's value")
		}
		if _, err := f.svc.Session(ctx, deskCookie); err != nil {
			t.Fatalf("the new desk session: %v", err)
		}
		if _, err := f.svc.EnrolSession(ctx, enrolCookie); err == nil {
			t.Fatal("the enrolment session outlived the enrolment")
		}
		if _, _, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, EnrolCode: code}); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("a spent enrolment code: %v", err)
		}
		if _, _, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: f.code()}); err != nil {
			t.Fatalf("the new second factor: %v", err)
		}
	})
}

func TestEnrolmentCodeExpires(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		code, err := f.svc.ResetSecondFactor(context.Background(), f.kim.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(account.EnrolCodeTTL + time.Second)
		if _, _, err := f.svc.Login(context.Background(), account.Credentials{Name: "kim", Password: passphrase, EnrolCode: code}); !errors.Is(err, account.ErrBadLogin) {
			t.Fatalf("an expired enrolment code: %v", err)
		}
	})
}

// A record made with older hashing parameters is made anew at the next
// login, with the same key pair.
func TestLoginRehashesOldRecords(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		ctx := context.Background()
		stronger := auth.Params{Time: 2, MemoryKiB: 8 * 1024, Threads: 1}
		f.svc.Hasher = auth.NewHasher(stronger, 2)
		if _, _, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: f.code()}); err != nil {
			t.Fatal(err)
		}
		_, sec, _ := s.UserByName(ctx, "kim")
		rec, err := auth.ParsePassword(sec.Password)
		if err != nil || rec.Params != stronger {
			t.Fatalf("record after login: %+v, %v", rec.Params, err)
		}
		_, key, err := f.svc.Login(ctx, account.Credentials{Name: "kim", Password: passphrase, Code: f.code()})
		if err != nil || key.Recipient().String() != f.kim.PublicKey {
			t.Fatalf("login after the rehash: %v", err)
		}
	})
}

// Logins under names that do not exist, all at once, are answered alike
// (and the race detector watches the record they are checked against).
func TestConcurrentLoginsWithUnknownNames(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		f := newFixture(t, s)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				_, _, err := f.svc.Login(context.Background(), account.Credentials{Name: "nobody", Password: passphrase, Code: "123456"})
				if !errors.Is(err, account.ErrBadLogin) && !errors.Is(err, account.ErrBusy) {
					t.Errorf("unknown name: %v", err)
				}
			})
		}
		wg.Wait()
	})
}
