package cli_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/account"
	"tipline/internal/auth"
	"tipline/internal/install"
	"tipline/internal/store"
)

// tipline user reset-passphrase lists the reports it would leave to the
// recovery key alone and goes ahead only with --yes; it prints the
// enrolment code once, as JSON, and audits the reset with its counts. With
// their name and the code the user chooses a new passphrase and second
// factor; the old passphrase opens nothing, and reports granted again open
// with the new key.
func TestUserResetPassphrase(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	const oldPassphrase = "a long enough passphrase"
	if code, _, errs := run(t, oldPassphrase+"\n", "user", "add", "--data", dir, "--name", "kim", "--role", "analyst"); code != 0 {
		t.Fatal(errs)
	}
	submitOne(t, dir) // kim's alone
	if code, _, errs := run(t, oldPassphrase+"\n", "user", "add", "--data", dir, "--name", "lee", "--role", "analyst"); code != 0 {
		t.Fatal(errs)
	}
	submitOne(t, dir) // kim's and lee's
	st := openStore(t, dir)
	ctx := context.Background()
	kim, _, _ := st.UserByName(ctx, "kim")
	lee, _, _ := st.UserByName(ctx, "lee")
	ids, _ := st.TipsOfOffer(ctx, "")
	var kimAlone string
	for _, id := range ids {
		if _, err := st.WrappedKey(ctx, id, lee.Holder()); err != nil {
			kimAlone = id
		}
	}

	code, out, errs := run(t, "", "user", "reset-passphrase", "--data", dir, "kim")
	if code != 1 || out != "" || !strings.Contains(errs, "kim holds the keys of 2 reports") || !strings.Contains(errs, "  "+kimAlone+"\n") ||
		!strings.Contains(errs, "kim's passphrase was not reset: 1 report would be left with the recovery key alone") || !strings.Contains(errs, "--yes") {
		t.Fatalf("reset without --yes: exit %d\n%s%s", code, out, errs)
	}
	if _, err := st.WrappedKey(ctx, kimAlone, kim.Holder()); err != nil {
		t.Fatal("an unconfirmed reset deleted kim's key")
	}
	code, out, errs = run(t, "", "user", "reset-passphrase", "kim", "--data", dir, "--yes")
	var got struct {
		Name      string    `json:"name"`
		EnrolCode string    `json:"enrol_code"`
		Expires   time.Time `json:"expires"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Name != "kim" || got.EnrolCode == "" || time.Until(got.Expires) < 23*time.Hour {
		t.Fatalf("reset --yes: exit %d\n%s%s", code, out, errs)
	}
	for _, id := range ids {
		if _, err := st.WrappedKey(ctx, id, kim.Holder()); err == nil {
			t.Fatalf("kim still holds %s", id)
		}
	}
	entries, _ := st.ListAudit(ctx, store.AuditFilter{Limit: 100})
	var resets []string
	for _, e := range entries {
		if e.Action == "user.reset_passphrase" {
			resets = append(resets, e.Detail)
		}
	}
	if len(resets) != 1 || !strings.Contains(resets[0], "(kim); keys to 2 reports deleted, 1 of them left to the recovery key alone") {
		t.Fatalf("one audited reset, with counts: %q", resets)
	}
	if code, out, errs := run(t, "", "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("audit verify after a reset: %s%s", out, errs)
	}
	if _, out, _ := run(t, "", "user", "list", "--data", dir); !strings.Contains(out, "must choose a passphrase") {
		t.Fatalf("user list does not say kim must choose a passphrase:\n%s", out)
	}

	now := time.Now()
	acct := &account.Service{Store: st, Hasher: auth.NewHasher(auth.DefaultParams, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{}), Now: func() time.Time { return now }}
	if _, _, err := acct.Login(ctx, account.Credentials{Name: "kim", Password: oldPassphrase}); !errors.Is(err, account.ErrBadLogin) {
		t.Fatalf("the old passphrase after a reset: %v", err)
	}
	if code, out, errs := run(t, "", "grant", "--data", dir, "--recovery-identity", filepath.Join(dir, install.RecoveryIdentityFile), "--to", "kim"); code == 0 || !strings.Contains(errs, "have not chosen a new one yet") {
		t.Fatalf("a grant to a user awaiting a passphrase: %d %q %q", code, out, errs)
	}
	_, _, err := acct.Login(ctx, account.Credentials{Name: "kim", EnrolCode: got.EnrolCode})
	var choose *account.MustChoosePassphrase
	if !errors.As(err, &choose) {
		t.Fatalf("the name and the enrolment code: %v, want MustChoosePassphrase", err)
	}
	cookie, err := acct.StartPassphraseEnrolment(ctx, choose.User)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := acct.EnrolSession(ctx, cookie)
	if err != nil {
		t.Fatal(err)
	}
	uri, err := acct.Enrolment(ctx, sess)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := otp.NewKeyFromURL(uri)
	first, _ := totp.GenerateCode(key.Secret(), now)
	const newPassphrase = "only kim knows this new passphrase"
	if _, err := acct.ChoosePassphrase(ctx, sess, got.EnrolCode, newPassphrase, newPassphrase, first); err != nil {
		t.Fatalf("choosing a new passphrase: %v", err)
	}

	if code, out, errs := run(t, "", "grant", "--data", dir, "--recovery-identity", filepath.Join(dir, install.RecoveryIdentityFile), "--to", "kim"); code != 0 || !strings.Contains(out, "granted 2 reports to kim") {
		t.Fatalf("grant after the reset: %d %q %q", code, out, errs)
	}
	now = now.Add(30 * time.Second)
	next, _ := totp.GenerateCode(key.Secret(), now)
	u, privateKey, err := acct.Login(ctx, account.Credentials{Name: "kim", Password: newPassphrase, Code: next})
	if err != nil {
		t.Fatalf("the new passphrase and authenticator: %v", err)
	}
	if _, err := acct.OpenTip(ctx, kimAlone, u.Holder(), privateKey); err != nil {
		t.Fatalf("a report granted after the reset does not open: %v", err)
	}
}
