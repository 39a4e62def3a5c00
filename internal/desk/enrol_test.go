package desk_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// After an admin resets kim's second factor, an attacker who knows kim's
// password gets nothing with it: no enrolment session, no QR code, and any
// code they try fails like a wrong password.
func TestPasswordAloneAfterResetOpensNothing(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	resetSecondFactor(t, w.login(root), u.ID)

	for _, form := range []url.Values{
		{"name": {"kim"}, "password": {kim.password}},
		{"name": {"kim"}, "password": {kim.password}, "code": {"000000"}},
		{"name": {"kim"}, "password": {kim.password}, "enrol_code": {"AAAA-AAAA-AAAA-AAAA-AAAA-AAA"}},
	} {
		attacker := w.browser(w.deskURL)
		resp, page := attacker.post("/login", form)
		if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 || !strings.Contains(page, "The name, password or code is wrong.") {
			t.Fatalf("%v: %d %v", form, resp.StatusCode, resp.Cookies())
		}
		for _, path := range []string{"/account/enrol", "/account/totp.png"} {
			if resp, body := attacker.get(path); resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(body, "\x89PNG") {
				t.Fatalf("%s without an enrolment session: %d", path, resp.StatusCode)
			}
		}
	}
}

// The attack the review reproduced: an enrolment session kept by someone
// else never becomes a desk session when the real user enrols — not as the
// enrolment cookie, not sent as the desk's session cookie.
func TestEnrolmentSessionNeverBecomesADeskSession(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	w.submit("a report kim can read", "", "")
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	code := resetSecondFactor(t, w.login(root), u.ID)

	early := w.browser(w.deskURL)
	resp, _ := early.post("/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {code}})
	enrolValue := cookieValue(resp, "tipline_enrol")
	if enrolValue == "" {
		t.Fatal("no enrolment session")
	}
	if resp, _ := withCookie(w, "tipline_desk", enrolValue, "/tips"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an enrolment session opened the queue: %d", resp.StatusCode)
	}

	real := enrol(t, w, "kim", kim.password, code)
	if resp, _ := real.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("kim after enrolling: %d", resp.StatusCode)
	}
	if resp, _ := withCookie(w, "tipline_desk", enrolValue, "/tips"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("the old enrolment session, sent as a desk session after kim enrolled: %d", resp.StatusCode)
	}
	if resp, _ := withCookie(w, "tipline_enrol", enrolValue, "/account/totp.png"); resp.StatusCode == http.StatusOK {
		t.Fatal("the old enrolment session still shows the QR code")
	}
	// The code is spent: it opens no second enrolment.
	resp, _ = w.browser(w.deskURL).post("/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {code}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a spent enrolment code: %d", resp.StatusCode)
	}
}

// A successful enrolment issues a session value of its own.
func TestEnrolmentIssuesANewSessionValue(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	code := resetSecondFactor(t, w.login(root), u.ID)
	b := w.browser(w.deskURL)
	resp, _ := b.post("/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {code}})
	enrolValue := cookieValue(resp, "tipline_enrol")
	secret := scanEnrolmentQR(t, b)
	w.now = w.now.Add(30 * time.Second)
	totpCode, _ := totp.GenerateCode(secret, w.now)
	// Without the enrolment code, the first code alone is refused.
	if resp, _ := b.post("/account/enrol", url.Values{"code": {totpCode}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("enrolment without the enrolment code: %d", resp.StatusCode)
	}
	w.now = w.now.Add(30 * time.Second)
	totpCode, _ = totp.GenerateCode(secret, w.now)
	resp, _ = b.post("/account/enrol", url.Values{"enrol_code": {strings.ToLower(code)}, "code": {totpCode}})
	deskValue := cookieValue(resp, "tipline_desk")
	if resp.StatusCode != http.StatusSeeOther || deskValue == "" || deskValue == enrolValue {
		t.Fatalf("enrol: %d, desk session %q (enrolment session %q)", resp.StatusCode, deskValue, enrolValue)
	}
}

// An enrolment code expires; it is stored only as a hash; issuing and using
// it are audited.
func TestEnrolmentCodeExpiresIsHashedAndAudited(t *testing.T) {
	b := storetest.Backends(t)[0]
	w := newWorld(t, b)
	kim := w.addUser("kim", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	u, _, _ := w.store.UserByName(context.Background(), "kim")
	admin := w.login(root)
	code := resetSecondFactor(t, admin, u.ID)

	normalised := strings.ReplaceAll(code, "-", "")
	for _, name := range []string{store.DBFile, store.DBFile + "-wal"} {
		data, _ := os.ReadFile(filepath.Join(b.DataDir, name))
		if bytes.Contains(data, []byte(normalised)) || bytes.Contains(data, []byte(code)) {
			t.Fatalf("the enrolment code is in %s in the clear", name)
		}
	}
	_, sec, _ := w.store.UserByName(context.Background(), "kim")
	if sec.EnrolCodeHash == "" || strings.Contains(sec.EnrolCodeHash, normalised) {
		t.Fatalf("stored enrolment code %q", sec.EnrolCodeHash)
	}

	w.now = w.now.Add(25 * time.Hour)
	resp, _ := w.browser(w.deskURL).post("/login", url.Values{"name": {"kim"}, "password": {kim.password}, "enrol_code": {code}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an expired enrolment code: %d", resp.StatusCode)
	}
	code = resetSecondFactor(t, admin, u.ID)
	enrol(t, w, "kim", kim.password, code)
	actions := auditActions(t, w)
	for action, want := range map[string]string{
		"user.reset_totp": "enrolment code issued",
		"login.enrol":     "enrolment code used",
		"totp.enrolled":   "enrolment code spent",
		"login.ok":        "after enrolment",
	} {
		if !strings.Contains(actions[action], want) {
			t.Errorf("audit %s = %q, want %q", action, actions[action], want)
		}
	}
}

// A password typed into the name field never reaches the audit log.
func TestFailedLoginDoesNotRecordTheName(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.addUser("kim", tip.RoleAnalyst)
	w.browser(w.deskURL).post("/login", url.Values{"name": {"my secret passphrase"}, "password": {"x"}})
	w.browser(w.deskURL).post("/login", url.Values{"name": {"kim"}, "password": {"not kim's password"}, "code": {"123456"}})
	fails := auditActions(t, w)["login.fail"]
	if strings.Contains(fails, "my secret passphrase") || !strings.Contains(fails, "unknown name") {
		t.Fatalf("login.fail entries: %q", fails)
	}
	u, _, _ := w.store.UserByName(context.Background(), kim.name)
	if !strings.Contains(fails, u.Holder()) {
		t.Fatalf("a failure on kim's account does not name it: %q", fails)
	}
}

func cookieValue(resp *http.Response, name string) string {
	for _, c := range resp.Cookies() {
		if c.Name == name && c.MaxAge >= 0 {
			return c.Value
		}
	}
	return ""
}

// withCookie requests path on the desk with one cookie set by hand.
func withCookie(w *world, name, value, path string) (*http.Response, string) {
	w.t.Helper()
	b := w.browser(w.deskURL)
	u, _ := url.Parse(w.deskURL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	return b.get(path)
}
