package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The hostile review's admin: with holder=receipt or holder=recovery and
// revoke=1, they deleted every copy of an offer's report keys. Now an admin
// manages users' access only: those holders, and anything that is not an
// existing user, are refused with the reason; a revoke that would leave a
// report with the recovery key's copy alone, or touch a report on legal
// hold, is refused whole; every refusal is audited; and the report still
// opens for its analyst and with its receipt.
func TestAdminCannotDestroyReports(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	kimUser := w.addUser("kim", tip.RoleAnalyst)
	w.addUser("lee", tip.RoleAnalyst)
	kim, _, _ := w.store.UserByName(t.Context(), "kim")
	lee, _, _ := w.store.UserByName(t.Context(), "lee")
	offerID := mustOffers(t, w)[0].ID
	receipt := w.submit("a report that must survive its admin", "", "")
	kimSession := w.login(kimUser)
	_, queue := kimSession.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	remove := "/admin/offers/" + offerID + "/recipients/remove"

	for _, holder := range []string{"receipt", "recovery"} {
		for _, revoke := range []string{"1", ""} {
			resp, page := admin.post(remove, url.Values{"holder": {holder}, "revoke": {revoke}})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "never granted, revoked or removed from the desk") {
				t.Fatalf("holder=%s revoke=%q: got %d, want 403 saying why\n%s", holder, revoke, resp.StatusCode, page)
			}
		}
	}
	for _, holder := range []string{"", "user:" + tip.NewID(), "kim", "user:" + kim.ID + " ", "RECEIPT", "user:\u202e"} {
		if resp, page := admin.post(remove, url.Values{"holder": {holder}, "revoke": {"1"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "No such desk user") {
			t.Fatalf("holder=%q: got %d, want 400 naming the rule", holder, resp.StatusCode)
		}
	}
	if resp, _ := admin.post("/admin/offers/"+tip.NewID()+"/recipients/remove", url.Values{"holder": {lee.Holder()}, "revoke": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown offer: %d", resp.StatusCode)
	}

	// Lee goes: kim and the receipt still hold the report. Then the source
	// ends the receipt's access, and kim's copy is the last one but the
	// recovery key's: revoking kim is refused, and kim still reads it.
	if resp, page := admin.post(remove, url.Values{"holder": {lee.Holder()}, "revoke": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoking lee, with kim and the receipt left: %d\n%s", resp.StatusCode, page)
	}
	src := w.browser(w.source)
	if _, page := src.post("/status", url.Values{"receipt": {receipt}}); !strings.Contains(page, "a report that must survive its admin") {
		t.Fatal("the receipt no longer opens the report after the refused revokes")
	}
	if resp, _ := src.post("/status/end", url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("ending the receipt's access: %d", resp.StatusCode)
	}
	resp, page := admin.post(remove, url.Values{"holder": {kim.Holder()}, "revoke": {"1"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "1 report would be left with only the offline recovery key") ||
		!strings.Contains(page, "grant them to another analyst first") {
		t.Fatalf("revoking the last copy: got %d, want 409 naming how many and what to do\n%s", resp.StatusCode, page)
	}
	if resp, page := kimSession.get("/tips/" + id); resp.StatusCode != http.StatusOK || !strings.Contains(page, "a report that must survive its admin") {
		t.Fatalf("kim lost the report to a refused revoke: %d", resp.StatusCode)
	}

	// Kim grants it to lee and puts it on legal hold: kim's copy now is not
	// the last, but the hold keeps it.
	if resp, _ := kimSession.post("/tips/"+id+"/grant", url.Values{"to": {"lee"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant to lee: %d", resp.StatusCode)
	}
	kimSession.post("/tips/"+id+"/labels", url.Values{"legal_hold": {"1"}})
	resp, page = admin.post(remove, url.Values{"holder": {kim.Holder()}, "revoke": {"1"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "1 report on legal hold") || strings.Contains(page, "recovery key") {
		t.Fatalf("revoking from a report on legal hold: got %d, want 409 naming the hold\n%s", resp.StatusCode, page)
	}
	if resp, _ := kimSession.get("/tips/" + id); resp.StatusCode != http.StatusOK {
		t.Fatalf("kim lost the report on legal hold: %d", resp.StatusCode)
	}

	entries, err := w.store.ListAudit(t.Context(), storeFilter(""))
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]int{}
	for _, e := range entries {
		if strings.HasSuffix(e.Action, ".refused") {
			refused[e.Action]++
			if !strings.Contains(e.Detail, "offer "+offerID) {
				t.Errorf("a refusal's entry does not name the offer: %q", e.Detail)
			}
		}
	}
	if refused["revoke.refused"] != 2+6+2 || refused["setting.recipient.remove.refused"] != 2 {
		t.Fatalf("every refused attempt should be audited, got %v", refused)
	}
}

// A disabled user receives no new report, keeps their place on the offer,
// and receives new reports again once enabled — not those that arrived
// while they were disabled.
func TestDisabledUserReceivesNoNewReports(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	kimUser := w.addUser("kim", tip.RoleAnalyst)
	kim, _, _ := w.store.UserByName(t.Context(), "kim")

	if resp, _ := admin.post("/admin/users/"+kim.ID+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	w.submit("sent while kim was disabled", "", "")
	if _, page := admin.get("/admin/settings"); !strings.Contains(page, "kim <span class=\"hint\">(disabled") {
		t.Error("the settings page should keep kim on the offer, marked disabled")
	}
	if resp, _ := admin.post("/admin/users/"+kim.ID+"/enable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	w.submit("sent after kim was enabled", "", "")

	session := w.login(kimUser)
	_, queue := session.get("/tips")
	links := tipLink.FindAllStringSubmatch(queue, -1)
	if len(links) != 1 {
		t.Fatalf("kim should have exactly the report sent after being enabled, got %d", len(links))
	}
	if _, page := session.get("/tips/" + links[0][1]); !strings.Contains(page, "sent after kim was enabled") {
		t.Fatal("kim has the wrong report")
	}
}
