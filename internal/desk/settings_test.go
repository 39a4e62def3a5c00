package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// An admin extends the statuses; an analyst uses the new one; the source sees
// only the public state it maps to. An admin adds an analyst to an offer and
// the analyst receives its new reports — not the older ones.
func TestAdminExtendsStatusesAndRecipients(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	if resp, _ := admin.post("/admin/statuses", url.Values{"code": {"awaiting_documents"}, "public_state": {"under_review"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add status: %d", resp.StatusCode)
	}
	if resp, _ := admin.post("/admin/statuses", url.Values{"code": {"Bad Code"}, "public_state": {"under_review"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad status code must be refused: %d", resp.StatusCode)
	}
	receipt := w.submit("a report", "", "")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	if resp, _ := kim.post("/tips/"+id+"/status", url.Values{"status": {"awaiting_documents"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the new status: %d", resp.StatusCode)
	}
	_, page := w.browser(w.source).post("/status", url.Values{"receipt": {receipt}})
	if !strings.Contains(page, `id="status">under review<`) || strings.Contains(page, "awaiting") {
		t.Fatal("the source must see the public state of the new status, never its name")
	}

	// A second analyst who joins an offer later gets new reports only.
	lee := w.addUser("lee", tip.RoleAnalyst)
	u, _, _ := w.store.UserByName(t.Context(), "lee")
	offers, _ := w.store.Offers(t.Context())
	admin.post("/admin/offers/"+offers[0].ID+"/recipients/remove", url.Values{"holder": {u.Holder()}})
	w.submit("while lee is off the offer", "", "")
	admin.post("/admin/offers/"+offers[0].ID+"/recipients", url.Values{"name": {"lee"}})
	w.submit("after lee joined again", "", "")
	leeSession := w.login(lee)
	_, queue = leeSession.get("/tips")
	links := tipLink.FindAllStringSubmatch(queue, -1)
	if len(links) != 1 {
		t.Fatalf("lee should see only the report sent after joining again, got %d", len(links))
	}
	if _, page := leeSession.get("/tips/" + links[0][1]); !strings.Contains(page, "after lee joined again") {
		t.Fatal("lee sees the wrong report")
	}
	_, settings := admin.get("/admin/settings")
	if !strings.Contains(settings, "awaiting_documents") || !strings.Contains(settings, "lee") {
		t.Fatal("the settings page should list the new status and the recipients")
	}
}
