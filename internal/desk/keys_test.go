package desk_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"tipline/internal/qrtest"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

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
