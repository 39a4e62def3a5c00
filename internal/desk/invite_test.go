package desk_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/qrtest"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// invite adds a user on the desk as an admin and returns the enrolment code
// the page shows.
func invite(t *testing.T, admin *browser, name string, roles ...tip.Role) string {
	t.Helper()
	form := url.Values{"name": {name}}
	for _, r := range roles {
		form.Add("role", string(r))
	}
	resp, page := admin.post("/admin/users", form)
	m := enrolCodePattern.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("invite %s: %d, no enrolment code\n%s", name, resp.StatusCode, page)
	}
	return m[1]
}

// activate logs in as an invited person with their name and code, chooses
// a passphrase and enrols the second factor; it returns the browser with
// its desk session and the authenticator's secret.
func activate(t *testing.T, w *world, name, code, passphrase string) (*browser, string) {
	t.Helper()
	b := w.browser(w.deskURL)
	resp, page := b.post("/login", url.Values{"name": {name}, "enrol_code": {code}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/activate" {
		t.Fatalf("login with the enrolment code: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	resp, png := b.get("/account/activate.png")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("activation QR code: %d", resp.StatusCode)
	}
	key, err := otp.NewKeyFromURL(qrtest.Decode(t, []byte(png)))
	if err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(30 * time.Second)
	first, _ := totp.GenerateCode(key.Secret(), w.now)
	resp, page = b.post("/account/activate", url.Values{"enrol_code": {code}, "passphrase": {passphrase}, "passphrase_again": {passphrase}, "code": {first}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d\n%s", resp.StatusCode, page)
	}
	w.now = w.now.Add(30 * time.Second) // the first code is spent
	return b, key.Secret()
}

// An admin adds a user on the desk; the user chooses their own passphrase
// and second factor, works at once, and later logs in as anyone does. The
// admin never learns the passphrase; every step is audited.
func TestInvitedUserSetsUpTheirOwnAccount(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	code := invite(t, admin, "choi", tip.RoleAnalyst)
	if _, page := admin.get("/admin/users"); !strings.Contains(page, `id="invitations"`) || !strings.Contains(page, "choi") {
		t.Fatal("the users page does not list the invitation")
	}

	choi, secret := activate(t, w, "choi", code, "choi chooses her own long passphrase")
	w.submit("a report after choi joined", "", "")
	if _, queue := choi.get("/tips"); !tipLink.MatchString(queue) {
		t.Fatal("the new analyst does not receive new reports")
	}
	later := w.login(user{"choi", "choi chooses her own long passphrase", secret})
	if resp, _ := later.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("a later login: %d", resp.StatusCode)
	}
	if resp, _ := w.browser(w.deskURL).post("/login", url.Values{"name": {"choi"}, "enrol_code": {code}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a spent invitation code: %d", resp.StatusCode)
	}
	actions := auditActions(t, w)
	for _, a := range []string{"user.invite", "login.activate", "user.activate", "login.ok"} {
		if actions[a] == "" {
			t.Errorf("no %s in the audit log", a)
		}
	}
	if strings.Contains(strings.Join(values(actions), ""), "choi chooses") {
		t.Fatal("the passphrase reached the audit log")
	}
}

// An invitation's code makes a new user and nothing else: it is no way into
// an existing account, a name already taken cannot be invited, and a kept
// activation cookie is not a desk session.
func TestInvitationCodeCannotTouchAnExistingUser(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	w.addUser("kim", tip.RoleAnalyst)
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	if resp, _ := admin.post("/admin/users", url.Values{"name": {"kim"}, "role": {"analyst"}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("inviting a name already taken: %d", resp.StatusCode)
	}
	code := invite(t, admin, "choi", tip.RoleAnalyst)
	for _, form := range []url.Values{
		{"name": {"kim"}, "enrol_code": {code}},
		{"name": {"kim"}, "password": {"anything at all here"}, "enrol_code": {code}},
	} {
		if resp, _ := w.browser(w.deskURL).post("/login", form); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("choi's code for kim: %d", resp.StatusCode)
		}
	}
	if resp, _ := admin.post("/admin/users", url.Values{"name": {"choi"}, "role": {"analyst"}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("inviting a name already invited: %d", resp.StatusCode)
	}

	b := w.browser(w.deskURL)
	resp, _ := b.post("/login", url.Values{"name": {"choi"}, "enrol_code": {code}})
	kept := cookieValue(resp, "tipline_activate")
	if kept == "" {
		t.Fatal("no activation cookie")
	}
	if resp, _ := withCookie(w, "tipline_desk", kept, "/tips"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an activation cookie sent as a desk session: %d", resp.StatusCode)
	}
}

// A mistyped or weak passphrase is refused with what to do, and the
// activation goes on; a withdrawn invitation ends it.
func TestActivationRefusesBadPassphrasesAndWithdrawnInvitations(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	code := invite(t, admin, "choi", tip.RoleCommittee)
	b := w.browser(w.deskURL)
	b.post("/login", url.Values{"name": {"choi"}, "enrol_code": {code}})
	for _, c := range []struct{ pass, again, want string }{
		{"a long enough passphrase", "a long enough passphrasf", "differ"},
		{"short", "short", "12"},
	} {
		resp, page := b.post("/account/activate", url.Values{"enrol_code": {code}, "passphrase": {c.pass}, "passphrase_again": {c.again}, "code": {"123456"}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, c.want) {
			t.Fatalf("passphrase %q/%q: %d\n%s", c.pass, c.again, resp.StatusCode, page)
		}
	}
	_, page := admin.get("/admin/users")
	withdraw := regexp.MustCompile(`/admin/invitations/([a-z0-9]{26})/withdraw`).FindStringSubmatch(page)
	if withdraw == nil {
		t.Fatal("no withdraw button")
	}
	if resp, _ := admin.post(withdraw[0], nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/account/activate"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the activation outlived its withdrawn invitation: %d", resp.StatusCode)
	}
	if resp, _ := w.browser(w.deskURL).post("/login", url.Values{"name": {"choi"}, "enrol_code": {code}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a withdrawn invitation's code: %d", resp.StatusCode)
	}
	if u, _, err := w.store.UserByName(context.Background(), "choi"); err == nil {
		t.Fatalf("a withdrawn invitation made a user: %+v", u)
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// A user sets and clears the address their notices go to; a bad address is
// refused with what to write.
func TestAccountEmail(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	if resp, page := kim.post("/account/email", url.Values{"email": {"Kim <kim@example.org>"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "kim@example.org") {
		t.Fatalf("a display name: %d", resp.StatusCode)
	}
	if resp, _ := kim.post("/account/email", url.Values{"email": {"kim@example.org"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set: %d", resp.StatusCode)
	}
	if _, page := kim.get("/account"); !strings.Contains(page, `value="kim@example.org"`) {
		t.Fatal("the account page does not show the address")
	}
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	if u.Email != "kim@example.org" {
		t.Fatalf("stored %q", u.Email)
	}
	kim.post("/account/email", url.Values{"email": {""}})
	if u, _, _ = w.store.UserByName(context.Background(), "kim"); u.Email != "" {
		t.Fatal("the address was not cleared")
	}
	if !strings.Contains(auditActions(t, w)["account.email"], "notifications on") {
		t.Fatal("not audited")
	}
}
