package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An admin removes a user from the desk: a first post shows what the
// removal does and the reports it leaves to the recovery key alone; the
// removal goes through only once those are acknowledged (a refusal is
// audited and changes nothing); then the user's session has ended, their
// keys are gone, they cannot log in, and the users page says "removed".
func TestAdminRemovesAUser(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	ctx := t.Context()
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	kimUser := w.addUser("kim", tip.RoleAnalyst)
	w.submit("kim alone reads this", "", "")
	leeUser := w.addUser("lee", tip.RoleAnalyst)
	w.submit("kim and lee read this", "", "")
	kim, _, _ := w.store.UserByName(ctx, "kim")
	lee, _, _ := w.store.UserByName(ctx, "lee")
	ids, _ := w.store.TipsOfOffer(ctx, "")
	var kimAlone string
	for _, id := range ids {
		if _, err := w.store.WrappedKey(ctx, id, lee.Holder()); err != nil {
			kimAlone = id
		}
	}
	kimSession := w.login(kimUser)
	path := "/admin/users/" + kim.ID + "/remove"

	resp, page := admin.post(path, url.Values{})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<code>"+kimAlone+"</code>") || !strings.Contains(page, `name="leave_to_recovery"`) {
		t.Fatalf("the confirmation page lists the report left to the recovery key: %d\n%s", resp.StatusCode, page)
	}
	resp, page = admin.post(path, url.Values{"confirm": {"yes"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "no other desk user holds") {
		t.Fatalf("a removal not acknowledging the reports left to the recovery key: %d\n%s", resp.StatusCode, page)
	}
	if _, err := w.store.WrappedKey(ctx, kimAlone, kim.Holder()); err != nil {
		t.Fatal("a refused removal deleted kim's key")
	}
	if resp, _ := kimSession.get("/tips"); resp.StatusCode != http.StatusOK {
		t.Fatalf("a refused removal ended kim's session: %d", resp.StatusCode)
	}

	if resp, page := admin.post(path, url.Values{"confirm": {"yes"}, "leave_to_recovery": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := kimSession.get("/tips"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("kim's session outlived the removal: %d", resp.StatusCode)
	}
	for _, id := range ids {
		if _, err := w.store.WrappedKey(ctx, id, kim.Holder()); err == nil {
			t.Fatalf("kim still holds %s", id)
		}
	}
	code, _ := totp.GenerateCode(kimUser.secret, w.now)
	if resp, _ := w.browser(w.deskURL).post("/login", url.Values{"name": {"kim"}, "password": {password}, "code": {code}}); resp.StatusCode == http.StatusSeeOther {
		t.Fatal("a removed user logged in")
	}
	w.login(leeUser) // the same login, for a user still there, goes through
	if _, page := admin.get("/admin/users"); !strings.Contains(page, "removed "+time.Now().UTC().Format("2006-01-02")) {
		t.Fatal("the users page does not say kim was removed")
	}
	if resp, _ := admin.post("/admin/users/"+kim.ID+"/enable", url.Values{}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("enabling a removed user: %d", resp.StatusCode)
	}
	entries, _ := w.store.ListAudit(ctx, store.AuditFilter{Limit: 200})
	var removed, refused int
	for _, e := range entries {
		switch {
		case e.Action == "user.remove" && e.Actor != "" && strings.Contains(e.Detail, "keys to 2 reports deleted, 1 of them left to the recovery key alone"):
			removed++
		case e.Action == "user.remove.refused":
			refused++
		}
	}
	if removed != 1 || refused != 1 {
		t.Fatalf("audited: %d removals, %d refusals; want 1 and 1", removed, refused)
	}
}
