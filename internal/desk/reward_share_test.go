package desk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A committee member who joins after a reward was recommended cannot read
// its report, so cannot decide on it, until an analyst who can read the
// report shares it with the committee from the reward's page. Only open
// rewards are shared, only with committee members, and the share is audited.
func TestCommitteeMemberAddedLaterCanDecideOnceShared(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	ctx := context.Background()
	analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
	judge1 := w.login(w.addUser("judge-one", tip.RoleCommittee))
	w.submit("a report recommended before judge-two joined", "", "")
	_, queue := analyst.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	rid, _ := recommendOn(t, analyst, id, "250000")
	if resp, _ := judge1.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first approval: %d", resp.StatusCode)
	}

	judge2 := w.login(w.addUser("judge-two", tip.RoleCommittee))
	if resp, _ := judge2.get("/rewards/" + rid); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a member who joined later reads the reward before it is shared: %d", resp.StatusCode)
	}
	if resp, _ := judge2.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a member who joined later approves before the reward is shared: %d", resp.StatusCode)
	}

	_, page := analyst.get("/rewards/" + rid)
	if !strings.Contains(page, `id="unshared"`) || !strings.Contains(page, "judge-two") || !strings.Contains(page, `action="/rewards/`+rid+`/share"`) {
		t.Fatalf("the reward page should name the committee members who cannot read the report, with a way to share it:\n%s", page)
	}
	if resp, _ := judge1.post("/rewards/"+rid+"/share", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a committee member sharing a report: want 403, got %d", resp.StatusCode)
	}
	if resp, page := analyst.post("/rewards/"+rid+"/share", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sharing with the committee: %d\n%s", resp.StatusCode, page)
	}
	if _, page := analyst.get("/rewards/" + rid); strings.Contains(page, `id="unshared"`) {
		t.Fatal("every committee member can read the report now")
	}
	if resp, page := analyst.post("/rewards/"+rid+"/share", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Every committee member can read this report already") {
		t.Fatalf("sharing again: want 409 saying why, got %d", resp.StatusCode)
	}
	if resp, _ := judge2.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the later member approving once shared: %d", resp.StatusCode)
	}
	if rw, _ := w.store.Reward(ctx, rid); rw.State() != tip.RewardApproved {
		t.Fatalf("after both approvals: %s", rw.State())
	}
	entries, _ := w.store.ListAudit(ctx, storeFilter(id))
	judge2User, _, _ := w.store.UserByName(ctx, "judge-two")
	shared := 0
	for _, e := range entries {
		if e.Action == "reward.share" {
			shared++
			if e.Detail != "reward "+rid+" to "+judge2User.Holder() {
				t.Fatalf("the share's audit entry: %q", e.Detail)
			}
		}
	}
	if shared != 1 {
		t.Fatalf("one share, %d audited", shared)
	}

	// A paid or denied reward is decided: nothing is left to share it for.
	w.login(w.addUser("judge-three", tip.RoleCommittee))
	if resp, _ := judge2.post("/rewards/"+rid+"/payments", map[string][]string{"amount": {"250000"}, "currency": {"USD"}, "method": {"bank"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("payment: %d", resp.StatusCode)
	}
	if resp, page := analyst.post("/rewards/"+rid+"/share", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "paid") {
		t.Fatalf("sharing a paid reward: want 409 saying why, got %d", resp.StatusCode)
	}
}
