package desk_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

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

	// The new password works, and asks for the new second factor first.
	_, key, err := w.acct.Login(ctx, "kim", "a brand new passphrase for kim", "")
	if !errors.Is(err, account.ErrMustEnrol) {
		t.Fatalf("after a reset, login should ask to enrol a second factor, got %v", err)
	}
	newKim := enrol(t, w, "kim", "a brand new passphrase for kim", created.TOTPURI)
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

// An admin resets a second factor; the user enrols a new one from a QR code
// the server renders, with no JavaScript.
func TestSecondFactorResetAndEnrolment(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	lee := w.addUser("lee", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	u, _, _ := w.store.UserByName(context.Background(), "lee")
	leeSession := w.login(lee)
	admin := w.login(root)
	if resp, _ := admin.post("/admin/users/"+u.ID+"/reset-totp", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if resp, _ := leeSession.get("/tips"); resp.Header.Get("Location") != "/login" {
		t.Fatal("a reset must end the user's sessions")
	}
	b := w.browser(w.deskURL)
	resp, _ := b.post("/login", url.Values{"name": {"lee"}, "password": {password}, "code": {"123456"}})
	if resp.Header.Get("Location") != "/account/enrol" {
		t.Fatalf("login after a reset should lead to enrolment, got %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, png := b.get("/account/totp.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Fatalf("QR code: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The QR code holds the new secret; read it the way the app would, by
	// opening the sealed enrolment with lee's key.
	who, key, err := w.acct.Login(context.Background(), "lee", password, "")
	if !errors.Is(err, account.ErrMustEnrol) {
		t.Fatal(err)
	}
	uri, err := w.acct.Enrolment(context.Background(), who, key)
	if err != nil {
		t.Fatal(err)
	}
	after := enrol(t, w, "lee", password, uri)
	if resp, _ := after.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after enrolling, lee should reach the queue: %d", resp.StatusCode)
	}
}

// enrol logs in after a reset and confirms the new second factor.
func enrol(t *testing.T, w *world, name, pw, uri string) *browser {
	t.Helper()
	b := w.browser(w.deskURL)
	resp, _ := b.post("/login", url.Values{"name": {name}, "password": {pw}})
	if resp.Header.Get("Location") != "/account/enrol" {
		t.Fatalf("expected enrolment, got %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(30e9)
	code, _ := totp.GenerateCode(key.Secret(), w.now)
	resp, page := b.post("/account/enrol", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d\n%s", resp.StatusCode, page)
	}
	return b
}
