package desk_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A report is granted to enabled analysts only: a committee member reads
// what a recommendation shares with them, and cannot pass a report on; an
// unknown name, a disabled analyst, an admin are refused with a page that
// says why, and no refused grant is audited as made.
func TestGrantsGoToEnabledAnalystsOnly(t *testing.T) {
	b := storetest.Backends(t)[0]
	w := newWorld(t, b)
	ctx := context.Background()
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	w.addUser("lee", tip.RoleAnalyst)
	judgeUser := w.addUser("judge-one", tip.RoleCommittee)
	w.addUser("judge-two", tip.RoleCommittee)
	w.addUser("park", tip.RoleAnalyst, tip.RoleCommittee)
	w.addUser("root", tip.RoleAdmin)
	w.addUser("dan", tip.RoleAnalyst)
	dan, _, _ := w.store.UserByName(ctx, "dan")
	if err := w.store.SetUserDisabled(ctx, dan.ID, true); err != nil {
		t.Fatal(err)
	}
	w.submit("a report for kim's office", "", "")
	_, queue := kim.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	judge := w.login(judgeUser)

	for _, c := range []struct{ to, says string }{
		{"judge-one", "judge-one is on the reward committee, which reads a report only when a reward is recommended on it"},
		{"nobody", `No user is named "nobody": give the name of an enabled analyst.`},
		{"dan", "dan is disabled"},
		{"root", "root is not an analyst"},
	} {
		resp, page := kim.post("/tips/"+id+"/grant", url.Values{"to": {c.to}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(page), c.says) {
			t.Fatalf("granting to %s: want 400 saying %q, got %d\n%s", c.to, c.says, resp.StatusCode, page)
		}
	}
	if resp, _ := judge.get("/tips/" + id); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a committee member refused a grant opened the report: %d", resp.StatusCode)
	}
	entries, _ := w.store.ListAudit(ctx, storeFilter(id))
	for _, e := range entries {
		if e.Action == "grant" {
			t.Fatalf("a refused grant was audited as made: %+v", e)
		}
	}

	// An analyst who also sits on the committee is an analyst.
	if resp, _ := kim.post("/tips/"+id+"/grant", url.Values{"to": {"park"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("granting to an analyst on the committee: %d", resp.StatusCode)
	}

	// Once a reward is recommended the committee reads the report, and
	// still cannot pass it on.
	if _, status := recommendOn(t, kim, id, "1000"); status != http.StatusSeeOther {
		t.Fatalf("recommendation: %d", status)
	}
	if resp, _ := judge.get("/tips/" + id); resp.StatusCode != http.StatusOK {
		t.Fatalf("a committee member reads a report with a recommendation on it: %d", resp.StatusCode)
	}
	for _, to := range []string{"lee", "judge-two"} {
		if resp, _ := judge.post("/tips/"+id+"/grant", url.Values{"to": {to}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a committee member granting the report to %s: want 403, got %d", to, resp.StatusCode)
		}
	}
	entries, _ = w.store.ListAudit(ctx, storeFilter(id))
	grants := 0
	for _, e := range entries {
		if e.Action == "grant" {
			grants++
		}
	}
	if grants != 1 {
		t.Fatalf("one grant was made (to park), %d audited", grants)
	}
}
