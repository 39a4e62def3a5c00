package desk_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"tipline/internal/qrtest"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/account"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An admin's password reset cannot recover what the user could open: the
// user gets a new key pair, loses the old reports until someone grants them
// again, and receives new reports as before.
func TestPasswordResetCannotRecoverKeys(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	park := w.addUser("park", tip.RoleAnalyst)
	w.submit("old report before the reset", "", "")
	ctx := context.Background()

	_, queue := w.login(kim).get("/tips")
	oldID := tipLink.FindStringSubmatch(queue)[1]
	u, _, _ := w.store.UserByName(ctx, "kim")
	created, err := w.acct.ResetPassword(ctx, u.ID, "a brand new passphrase for kim")
	if err != nil {
		t.Fatal(err)
	}
	if created.User.PublicKey == u.PublicKey {
		t.Fatal("a password reset must give the user a new key pair")
	}

	// The new password works with the enrolment code, and asks for the new
	// second factor first; the password alone opens nothing.
	if _, _, err := w.acct.Login(ctx, account.Credentials{Name: "kim", Password: "a brand new passphrase for kim"}); !errors.Is(err, account.ErrBadLogin) {
		t.Fatalf("after a reset, the password alone should fail, got %v", err)
	}
	_, key, err := w.acct.Login(ctx, account.Credentials{Name: "kim", Password: "a brand new passphrase for kim", EnrolCode: created.EnrolCode})
	if !errors.Is(err, account.ErrMustEnrol) {
		t.Fatalf("after a reset, login should ask to enrol a second factor, got %v", err)
	}
	newKim := enrol(t, w, "kim", "a brand new passphrase for kim", created.EnrolCode)
	if resp, page := newKim.get("/tips/" + oldID); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "old report") {
		t.Fatalf("the old report must not open after a reset, got %d", resp.StatusCode)
	}
	if _, err := w.acct.OpenTip(ctx, oldID, u.Holder(), key); err == nil {
		t.Fatal("the new key opens an old report")
	}

	w.submit("new report after the reset", "", "")
	_, queue = newKim.get("/tips")
	if len(tipLink.FindAllStringSubmatch(queue, -1)) != 1 {
		t.Fatalf("kim should see exactly the new report:\n%s", queue)
	}

	// A colleague who can open the old report grants it again.
	parkSession := w.login(park)
	if resp, _ := parkSession.post("/tips/"+oldID+"/grant", url.Values{"to": {"kim"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d", resp.StatusCode)
	}
	if resp, page := newKim.get("/tips/" + oldID); resp.StatusCode != http.StatusOK || !strings.Contains(page, "old report") {
		t.Fatalf("after the grant kim should read the old report, got %d", resp.StatusCode)
	}
}

// Revoking deletes a user's wrapped keys: access ends at once, even in a
// live session.
func TestRevokingEndsAccessAtOnce(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	w.submit("a report", "", "")
	session := w.login(kim)
	_, queue := session.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	if err := w.store.RevokeHolder(context.Background(), u.Holder(), ""); err != nil {
		t.Fatal(err)
	}
	if resp, _ := session.get("/tips/" + id); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a revoked user still opens the report: %d", resp.StatusCode)
	}
	w.submit("a later report", "", "")
	if _, queue := session.get("/tips"); tipLink.MatchString(queue) {
		t.Fatal("a revoked user still receives new reports")
	}
}

// An admin resets a second factor and is shown an enrolment code once; with
// their password and that code the user enrols a new factor from a QR code
// the server renders, with no JavaScript.
func TestSecondFactorResetAndEnrolment(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	lee := w.addUser("lee", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	u, _, _ := w.store.UserByName(context.Background(), "lee")
	leeSession := w.login(lee)
	admin := w.login(root)
	code := resetSecondFactor(t, admin, u.ID)
	if resp, _ := leeSession.get("/tips"); resp.Header.Get("Location") != "/login" {
		t.Fatal("a reset must end the user's sessions")
	}
	after := enrol(t, w, "lee", password, code)
	if resp, _ := after.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after enrolling, lee should reach the queue: %d", resp.StatusCode)
	}
}

var enrolCodePattern = regexp.MustCompile(`<code id="enrol-code">([^<]+)</code>`)

// resetSecondFactor resets a user's second factor as an admin and returns
// the enrolment code the page shows.
func resetSecondFactor(t *testing.T, admin *browser, userID string) string {
	t.Helper()
	resp, page := admin.post("/admin/users/"+userID+"/reset-totp", nil)
	m := enrolCodePattern.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d, no enrolment code shown\n%s", resp.StatusCode, page)
	}
	return m[1]
}

// enrol logs in with the password and enrolment code after a reset, reads
// the new secret from the QR code the server renders, and confirms it.
func enrol(t *testing.T, w *world, name, pw, enrolCode string) *browser {
	t.Helper()
	b := w.browser(w.deskURL)
	resp, _ := b.post("/login", url.Values{"name": {name}, "password": {pw}, "enrol_code": {enrolCode}})
	if resp.Header.Get("Location") != "/account/enrol" {
		t.Fatalf("expected enrolment, got %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	secret := scanEnrolmentQR(t, b)
	w.now = w.now.Add(30e9)
	code, _ := totp.GenerateCode(secret, w.now)
	resp, page := b.post("/account/enrol", url.Values{"enrol_code": {enrolCode}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d\n%s", resp.StatusCode, page)
	}
	return b
}

// scanEnrolmentQR fetches the enrolment's QR code and decodes it as an
// authenticator app would, returning the TOTP secret.
func scanEnrolmentQR(t *testing.T, b *browser) string {
	t.Helper()
	resp, png := b.get("/account/totp.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Fatalf("QR code: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	uri := qrtest.Decode(t, []byte(png))
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	return key.Secret()
}
