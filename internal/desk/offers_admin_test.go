package desk_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// offerFields is a complete offer form; tests change what they check.
func offerFields(enTitle string, starts, ends time.Time, analystIDs ...string) url.Values {
	return url.Values{
		"title_en": {enTitle}, "title_ko": {"박해운 선박 제보"}, "title_zh": {"朴海运船舶举报"}, "title_ru": {"Сведения о судне «Пак Хэ Ун»"},
		"description_en": {"Where the vessel loads and unloads."},
		"max_reward":     {"1,000,000"},
		"category":       {"ship_to_ship", "oil"},
		"new_categories": {"fishing_fleets"},
		"subject":        {"MV Pak Hae Un (IMO 9999999)"},
		"starts":         {starts.UTC().Format("2006-01-02")},
		"ends":           {ends.UTC().Format("2006-01-02")},
		"analyst":        analystIDs,
	}
}

// offerIDByTitle finds an offer the test created through the desk.
func (w *world) offerIDByTitle(enTitle string) string {
	w.t.Helper()
	offers, err := w.store.Offers(w.t.Context())
	if err != nil {
		w.t.Fatal(err)
	}
	for _, o := range offers {
		if o.Title["en"] == enTitle {
			return o.ID
		}
	}
	w.t.Fatalf("no offer titled %q", enTitle)
	return ""
}

// submitToOffer sends a report to an offer the way its submission link does.
func (w *world) submitToOffer(offerID, category, message string) (*http.Response, string) {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("offer", offerID)
	mw.WriteField("category", category)
	mw.WriteField("message", message)
	mw.Close()
	resp, err := http.Post(w.source+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

// An admin creates an offer in four languages with a cap, a subject, dates
// and one analyst; sources see it in Korean and report to it; only that
// analyst receives the report; the cap binds recommendations on it.
func TestAdminCreatesAnOfferSourcesReportToIt(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))
	kimLogin, leeLogin := w.addUser("kim", tip.RoleAnalyst), w.addUser("lee", tip.RoleAnalyst)
	kimUser, _, _ := w.store.UserByName(t.Context(), "kim")

	if resp, page := admin.get("/admin/offers/new"); resp.StatusCode != http.StatusOK || !strings.Contains(page, `value="5000000"`) || !strings.Contains(page, "new reports only") {
		t.Fatalf("new offer form: %d, want the default US$5,000,000 and the note on new reports", resp.StatusCode)
	}
	now := time.Now()
	fields := offerFields("Vessel Pak Hae Un", now.AddDate(0, 0, -1), now.AddDate(0, 1, 0), kimUser.ID)
	if resp, page := admin.post("/admin/offers", fields); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create offer: %d\n%s", resp.StatusCode, page)
	}
	id := w.offerIDByTitle("Vessel Pak Hae Un")
	o, _ := w.store.Offer(t.Context(), id)
	if o.MaxRewardUSD != 1_000_000 || o.Subject != "MV Pak Hae Un (IMO 9999999)" || len(o.Categories) != 3 || o.Title["ru"] == "" {
		t.Fatalf("stored offer: %+v", o)
	}
	if _, page := admin.get("/admin/offers"); !strings.Contains(page, "Vessel Pak Hae Un") || !strings.Contains(page, "active") || !strings.Contains(page, "US$1,000,000") {
		t.Fatal("the offers list should show the new offer, active, with its cap")
	}

	src := w.browser(w.source)
	_, landing := src.get("/ko/")
	if !strings.Contains(landing, "박해운 선박 제보") || !strings.Contains(landing, "MV Pak Hae Un (IMO 9999999)") || !strings.Contains(landing, "US$1,000,000") {
		t.Fatal("the Korean landing page should list the offer with its Korean title, subject and cap")
	}
	if resp, page := src.get("/submit?offer=" + id); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Vessel Pak Hae Un") {
		t.Fatalf("the offer's submission form: %d", resp.StatusCode)
	}
	if resp, page := w.submitToOffer(id, "oil", "the vessel loaded at Nampo"); resp.StatusCode != http.StatusOK || !receiptPattern.MatchString(page) {
		t.Fatalf("report to the offer: %d", resp.StatusCode)
	}

	kim := w.login(kimLogin)
	_, queue := kim.get("/tips")
	m := tipLink.FindStringSubmatch(queue)
	if m == nil {
		t.Fatal("kim, chosen on the form, should receive the offer's report")
	}
	tipID := m[1]
	if tp, err := w.store.Tip(t.Context(), tipID); err != nil || tp.OfferID != id {
		t.Fatalf("the report should land in the offer: %+v %v", tp, err)
	}
	lee := w.login(leeLogin)
	if _, queue := lee.get("/tips"); tipLink.MatchString(queue) {
		t.Fatal("lee, not chosen, must not receive the offer's report")
	}

	resp, page := kim.post("/tips/"+tipID+"/rewards", url.Values{"amount": {"1000001"}, "justification": {"located the vessel"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "US$1,000,000") {
		t.Fatalf("a recommendation over the offer's cap: got %d, want 409 naming the cap", resp.StatusCode)
	}
	if resp, _ := kim.post("/tips/"+tipID+"/rewards", url.Values{"amount": {"1000000"}, "justification": {"located the vessel"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a recommendation at the cap: %d", resp.StatusCode)
	}

	// Editing keeps the offer and its report; unchecking kim stops new
	// reports reaching kim.
	fields.Set("title_en", "Vessel Pak Hae Un (renamed)")
	fields.Del("analyst")
	if resp, page := admin.post("/admin/offers/"+id, fields); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update offer: %d\n%s", resp.StatusCode, page)
	}
	if holders, _ := w.store.OfferRecipients(t.Context(), id); len(holders) != 0 {
		t.Fatalf("unchecked analysts should no longer receive new reports: %v", holders)
	}
	if _, page := admin.get("/admin/offers/" + id + "/edit"); !strings.Contains(page, "Vessel Pak Hae Un (renamed)") || !strings.Contains(page, `value="fishing_fleets" checked`) {
		t.Fatal("the edit form should show the saved title and the new category, checked")
	}
}

// Only admins manage offers and the ceiling; everyone else gets 403.
func TestOfferAdminIsForAdminsOnly(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	offers, _ := w.store.Offers(t.Context())
	id := offers[0].ID
	for _, role := range []tip.Role{tip.RoleAnalyst, tip.RoleCommittee, tip.RoleAuditor} {
		b := w.login(w.addUser("user-"+string(role), role))
		for _, req := range []struct{ method, path string }{
			{"GET", "/admin/offers"}, {"GET", "/admin/offers/new"}, {"POST", "/admin/offers"},
			{"GET", "/admin/offers/" + id + "/edit"}, {"POST", "/admin/offers/" + id}, {"POST", "/admin/ceiling"},
		} {
			var resp *http.Response
			if req.method == "POST" {
				resp, _ = b.post(req.path, offerFields("Sneaky", time.Now(), time.Now().AddDate(0, 1, 0)))
			} else {
				resp, _ = b.get(req.path)
			}
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s %s: got %d, want 403", role, req.method, req.path, resp.StatusCode)
			}
		}
	}
	if o, _ := w.store.Offer(t.Context(), id); o.Title["en"] == "Sneaky" || len(mustOffers(t, w)) != 1 {
		t.Fatal("a refused request changed the offers")
	}
}

func mustOffers(t *testing.T, w *world) []tip.Offer {
	t.Helper()
	offers, err := w.store.Offers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return offers
}

// An ended offer says so and takes no reports; bad input is refused with the
// form kept; the ceiling binds offers, and offers bind the ceiling.
func TestOfferRefusals(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	admin := w.login(w.addUser("root", tip.RoleAdmin))

	past := time.Now().AddDate(-1, 0, 0)
	if resp, page := admin.post("/admin/offers", offerFields("Last year's appeal", past, past.AddDate(0, 1, 0))); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create an ended offer: %d\n%s", resp.StatusCode, page)
	}
	ended := w.offerIDByTitle("Last year's appeal")
	src := w.browser(w.source)
	resp, page := src.get("/offers/" + ended)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "This offer has ended") || strings.Contains(page, "/submit?offer=") {
		t.Fatalf("an ended offer's page: %d, want it to say it has ended, with no submission link", resp.StatusCode)
	}
	if !strings.Contains(page, "MV Pak Hae Un (IMO 9999999)") {
		t.Fatal("an offer's page should show its subject")
	}
	if resp, _ := src.get("/submit?offer=" + ended); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/submit?offer= an ended offer: got %d, want 404", resp.StatusCode)
	}
	if _, landing := src.get("/"); strings.Contains(landing, "Last year&#39;s appeal") || strings.Contains(landing, ended) {
		t.Fatal("the landing page must list only active offers")
	}
	if _, list := admin.get("/admin/offers"); !strings.Contains(list, "offer-ended") {
		t.Fatal("the desk should mark the offer ended")
	}

	now := time.Now()
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"above the ceiling", map[string]string{"max_reward": "6000000"}, "above the installation&#39;s ceiling of US$5,000,000"},
		{"not a number", map[string]string{"max_reward": "lots"}, "whole number of US dollars"},
		{"no English title", map[string]string{"title_en": " "}, "English title is required"},
		{"bad date", map[string]string{"ends": "31/12/2030"}, "YYYY-MM-DD"},
		{"end before start", map[string]string{"starts": "2031-01-02", "ends": "2031-01-01"}, "end date must be after"},
		{"bad category", map[string]string{"new_categories": "fishing-fleets!"}, "not a category code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := offerFields("Refused offer", now, now.AddDate(0, 1, 0))
			for k, v := range tc.set {
				f.Set(k, v)
			}
			resp, page := admin.post("/admin/offers", f)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, tc.want) {
				t.Fatalf("got %d, want 400 saying %q\n%s", resp.StatusCode, tc.want, page)
			}
			if !strings.Contains(page, "박해운 선박 제보") || !strings.Contains(page, `value="oil" checked`) {
				t.Fatal("a refused form must keep what was typed")
			}
		})
	}
	for _, o := range mustOffers(t, w) {
		if o.Title["en"] == "Refused offer" {
			t.Fatal("a refused offer was stored")
		}
	}

	// The default offer takes reports sent without choosing one: no dates.
	def := mustOffers(t, w)[0]
	f := offerFields("North Korea sanctions evasion", now, now.AddDate(0, 1, 0))
	if resp, page := admin.post("/admin/offers/"+def.ID, f); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "default offer") {
		t.Fatalf("dates on the default offer: got %d, want 400", resp.StatusCode)
	}

	// The default offer promises US$5,000,000: the ceiling cannot go below.
	resp, page = admin.post("/admin/ceiling", url.Values{"ceiling": {"4,000,000"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "North Korea") {
		t.Fatalf("a ceiling below an offer: got %d, want 409 naming the offer\n%s", resp.StatusCode, page)
	}
	if resp, _ := admin.post("/admin/ceiling", url.Values{"ceiling": {"nope"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a ceiling that is not a number: got %d, want 400", resp.StatusCode)
	}
	if resp, _ := admin.post("/admin/ceiling", url.Values{"ceiling": {"8,000,000"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("raise the ceiling: %d", resp.StatusCode)
	}
	f = offerFields("A larger promise", now, now.AddDate(0, 1, 0))
	f.Set("max_reward", "7500000")
	if resp, page := admin.post("/admin/offers", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an offer under the raised ceiling: %d\n%s", resp.StatusCode, page)
	}

	// Every change is in the audit log; refusals change nothing, so log nothing.
	entries, err := w.store.ListAudit(t.Context(), store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	if count["setting.offer"] != 2 || count["setting.ceiling"] != 1 {
		t.Fatalf("audit: %d setting.offer and %d setting.ceiling entries, want 2 and 1", count["setting.offer"], count["setting.ceiling"])
	}
}
