package desk_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/qrtest"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// resetPassphrase resets a user's passphrase as an admin, confirmed, and
// returns the enrolment code the page shows.
func resetPassphrase(t *testing.T, admin *browser, userID string, form url.Values) string {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("confirm", "yes")
	resp, page := admin.post("/admin/users/"+userID+"/reset-passphrase", form)
	m := enrolCodePattern.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("passphrase reset: %d, no enrolment code shown\n%s", resp.StatusCode, page)
	}
	return m[1]
}

// choosePassphrase logs in with the name and enrolment code alone, reads
// the new second factor from the QR code, and chooses a passphrase; it
// returns the browser with its desk session and the authenticator's secret.
func choosePassphrase(t *testing.T, w *world, name, code, passphrase string) (*browser, string) {
	t.Helper()
	b := w.browser(w.deskURL)
	resp, page := b.post("/login", url.Values{"name": {name}, "enrol_code": {code}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/enrol" {
		t.Fatalf("login with the enrolment code: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	if _, page := b.get("/account/enrol"); !strings.Contains(page, `name="passphrase_again"`) {
		t.Fatalf("the enrolment page does not ask for a new passphrase:\n%s", page)
	}
	resp, png := b.get("/account/totp.png")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("QR code: %d", resp.StatusCode)
	}
	key, err := otp.NewKeyFromURL(qrtest.Decode(t, []byte(png)))
	if err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(30 * time.Second)
	first, _ := totp.GenerateCode(key.Secret(), w.now)
	resp, page = b.post("/account/enrol", url.Values{"enrol_code": {code}, "passphrase": {passphrase}, "passphrase_again": {passphrase}, "code": {first}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing the passphrase: %d\n%s", resp.StatusCode, page)
	}
	w.now = w.now.Add(30 * time.Second)
	return b, key.Secret()
}

// A forgotten passphrase: an admin resets it and is shown an enrolment code
// once; the old passphrase opens nothing; with their name and the code the
// user chooses a new passphrase — the admin never learns it — and enrols a
// new authenticator, gets a new key pair, reads new reports and reports
// granted again, never the old copies. Only an admin resets; the reset and
// its audit entry are one.
func TestPassphraseResetPutsTheUserBackWhereAnInvitedOneIs(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	ctx := context.Background()
	kim := w.addUser("kim", tip.RoleAnalyst)
	park := w.addUser("park", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	w.submit("old report before the reset", "", "")
	kimSession, parkSession, admin := w.login(kim), w.login(park), w.login(root)
	_, queue := kimSession.get("/tips")
	oldID := tipLink.FindStringSubmatch(queue)[1]
	before, _, _ := w.store.UserByName(ctx, "kim")

	if resp, _ := parkSession.post("/admin/users/"+before.ID+"/reset-passphrase", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an analyst reset a passphrase: %d", resp.StatusCode)
	}
	resp, page := admin.post("/admin/users/"+before.ID+"/reset-passphrase", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="reset-passphrase"`) || enrolCodePattern.MatchString(page) {
		t.Fatalf("unconfirmed, the reset should only be explained: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := kimSession.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("an unconfirmed reset ended kim's session: %d", resp.StatusCode)
	}
	self, _, _ := w.store.UserByName(ctx, "root")
	if resp, _ := admin.post("/admin/users/"+self.ID+"/reset-passphrase", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("an admin reset their own passphrase: %d", resp.StatusCode)
	}

	code := resetPassphrase(t, admin, before.ID, nil)
	if _, page := admin.get("/admin/users"); strings.Contains(page, code) || !strings.Contains(page, "must choose a new passphrase") {
		t.Fatalf("the users page shows the code again, or not the user's state:\n%s", page)
	}
	if resp, _ := kimSession.get("/tips"); resp.Header.Get("Location") != "/login" {
		t.Fatalf("the reset left kim's session open: %d", resp.StatusCode)
	}
	entries, err := w.store.ListAudit(ctx, store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var audited bool
	for _, e := range entries {
		if e.Action == "user.reset_passphrase" && e.Actor == "user:"+self.ID &&
			strings.Contains(e.Detail, before.Holder()) && strings.Contains(e.Detail, "keys to 1 reports deleted, 0 of them left to the recovery key alone") {
			audited = true
		}
	}
	if !audited {
		t.Fatalf("no audit entry of the reset with its counts: %+v", entries)
	}

	// The old passphrase opens nothing, with the old authenticator or with
	// the code; nor does the code with a wrong name's.
	code1, _ := totp.GenerateCode(kim.secret, w.now)
	for what, form := range map[string]url.Values{
		"old passphrase and authenticator": {"name": {"kim"}, "password": {password}, "code": {code1}},
		"old passphrase alone":             {"name": {"kim"}, "password": {password}},
		"a wrong enrolment code":           {"name": {"kim"}, "enrol_code": {"AAAA-BBBB-CCCC-DDDD-EEEE-FFF"}},
		"the code under another name":      {"name": {"park"}, "enrol_code": {code}},
	} {
		if resp, _ := w.browser(w.deskURL).post("/login", form); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", what, resp.StatusCode)
		}
	}

	const newPassphrase = "a brand new passphrase only kim knows"
	newKim, secret := choosePassphrase(t, w, "kim", code, newPassphrase)
	after, sec, _ := w.store.UserByName(ctx, "kim")
	if after.PublicKey == "" || after.PublicKey == before.PublicKey || !after.TOTPEnrolled || sec.EnrolCodeHash != "" {
		t.Fatalf("after choosing a passphrase: %+v; want a new key pair, the factor in use, the code spent", after)
	}
	if resp, page := newKim.get("/tips/" + oldID); resp.StatusCode != http.StatusNotFound || strings.Contains(page, "old report") {
		t.Fatalf("the old report opened after the reset: %d", resp.StatusCode)
	}
	if resp, _ := w.browser(w.deskURL).post("/login", url.Values{"name": {"kim"}, "enrol_code": {code}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the enrolment code worked twice: %d", resp.StatusCode)
	}

	w.submit("new report after the reset", "", "")
	_, queue = newKim.get("/tips")
	if ids := tipLink.FindAllStringSubmatch(queue, -1); len(ids) != 1 || ids[0][1] == oldID {
		t.Fatalf("kim should see the new report alone:\n%s", queue)
	}
	if resp, page := parkSession.post("/tips/"+oldID+"/grant", url.Values{"to": {"kim"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d\n%s", resp.StatusCode, page)
	}
	if resp, page := newKim.get("/tips/" + oldID); resp.StatusCode != http.StatusOK || !strings.Contains(page, "old report") {
		t.Fatalf("a report granted after the reset does not open: %d", resp.StatusCode)
	}
	w.login(user{"kim", newPassphrase, secret}) // fails the test unless the new passphrase and authenticator log in
}

// Reports no other desk user holds are listed, and left to the recovery key
// only when the box is ticked; a report on legal hold refuses the reset,
// changing nothing; nobody grants a report to a user awaiting a passphrase.
func TestPassphraseResetChecksAsARemovalDoes(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	ctx := context.Background()
	kim := w.addUser("kim", tip.RoleAnalyst)
	root := w.addUser("root", tip.RoleAdmin)
	w.submit("a report only kim holds", "", "")
	kimSession, admin := w.login(kim), w.login(root)
	_, queue := kimSession.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	u, _, _ := w.store.UserByName(ctx, "kim")
	path := "/admin/users/" + u.ID + "/reset-passphrase"

	resp, page := admin.post(path, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<ul id="recovery-only"><li><code>`+id+`</code>`) || !strings.Contains(page, `name="leave_to_recovery"`) {
		t.Fatalf("the reports left to the recovery key are not listed: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := admin.post(path, url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("unticked, the reset went ahead: %d", resp.StatusCode)
	}
	kimSession.post("/tips/"+id+"/labels", url.Values{"legal_hold": {"1"}})
	resp, page = admin.post(path, url.Values{"confirm": {"yes"}, "leave_to_recovery": {"yes"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(page), "The passphrase was not reset") {
		t.Fatalf("a report on legal hold: %d, want 409\n%s", resp.StatusCode, page)
	}
	if resp, page := kimSession.get("/tips/" + id); resp.StatusCode != http.StatusOK || !strings.Contains(page, "only kim holds") {
		t.Fatalf("a refused reset changed something: %d", resp.StatusCode)
	}
	kimSession.post("/tips/"+id+"/labels", url.Values{})
	resetPassphrase(t, admin, u.ID, url.Values{"leave_to_recovery": {"yes"}})
	if _, err := w.store.WrappedKey(ctx, id, "recovery"); err != nil {
		t.Fatalf("the report left to the recovery key lost its copy: %v", err)
	}
	if _, err := w.store.WrappedKey(ctx, id, u.Holder()); err == nil {
		t.Fatal("kim's copy outlived the reset")
	}
	if err := w.store.GrantTipKey(ctx, id, u.Holder(), []byte("wrapped to no key")); tip.ErrorCode(err) != tip.CodeInvalid {
		t.Fatalf("a report was granted to a user awaiting a passphrase: %v", err)
	}
}

// A committee member whose passphrase was reset has no key: a reward is
// still recommended, shared with the other members, and reaches them once
// they are back (a share).
func TestRecommendingWhileAMemberAwaitsAPassphrase(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	ctx := context.Background()
	kim := w.addUser("kim", tip.RoleAnalyst)
	w.addUser("park", tip.RoleCommittee)
	w.addUser("moon", tip.RoleCommittee)
	root := w.addUser("root", tip.RoleAdmin)
	w.submit("the tanker loaded at night", "", "")
	analyst, admin := w.login(kim), w.login(root)
	_, queue := analyst.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	park, _, _ := w.store.UserByName(ctx, "park")
	moon, _, _ := w.store.UserByName(ctx, "moon")
	resetPassphrase(t, admin, park.ID, nil)
	if _, status := recommendOn(t, analyst, id, "5000"); status != http.StatusSeeOther {
		t.Fatalf("a recommendation while a member awaits a passphrase: %d", status)
	}
	if _, err := w.store.WrappedKey(ctx, id, moon.Holder()); err != nil {
		t.Fatalf("the other member got no share: %v", err)
	}
	if _, err := w.store.WrappedKey(ctx, id, park.Holder()); err == nil {
		t.Fatal("a share was wrapped to a member with no key")
	}
}
