package desk_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// Closed reports are shredded when their retention runs out, with a warning
// in the queue beforehand; a legal hold, an open or paid reward, and an open
// report are exempt.
func TestRetentionShredsClosedReportsButNotHeldOrOpenOnes(t *testing.T) {
	const retention = 10 * 24 * time.Hour
	w := newWorldWith(t, storetest.Backends(t)[0], worldOptions{retention: retention})
	kim := w.addUser("kim", tip.RoleAnalyst)
	for _, m := range []string{"closed report", "held report", "open report", "rewarded report"} {
		w.submit(m, "evidence.txt", "file of the "+m)
	}
	s := w.login(kim)
	_, queue := s.get("/tips")
	ids := map[string]string{}
	for _, m := range tipLink.FindAllStringSubmatch(queue, -1) {
		_, page := s.get("/tips/" + m[1])
		for _, name := range []string{"closed report", "held report", "open report", "rewarded report"} {
			if strings.Contains(page, name) {
				ids[name] = m[1]
			}
		}
	}
	s.post("/tips/"+ids["closed report"]+"/status", url.Values{"status": {"closed_no_action"}})
	s.post("/tips/"+ids["held report"]+"/status", url.Values{"status": {"closed_duplicate"}})
	s.post("/tips/"+ids["held report"]+"/labels", url.Values{"legal_hold": {"1"}})
	if _, status := recommendOn(t, s, ids["rewarded report"], "1000"); status != 303 {
		t.Fatalf("recommend: %d", status)
	}
	s.post("/tips/"+ids["rewarded report"]+"/status", url.Values{"status": {"closed_no_action"}})

	_, queue = s.get("/tips")
	if strings.Count(queue, "shredded on") != 1 {
		t.Fatalf("the queue should warn about exactly the closed report with no hold and no reward:\n%s", queue)
	}
	ctx := context.Background()
	before, _ := w.store.StoredBytes(ctx)
	n, err := w.desk.Shred(ctx, time.Now().Add(retention+time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("shredded %d, %v; want 1", n, err)
	}
	if _, err := w.store.Tip(ctx, ids["closed report"]); tip.ErrorCode(err) != tip.CodeNotFound {
		t.Fatal("the closed report survived")
	}
	after, _ := w.store.StoredBytes(ctx)
	if after >= before {
		t.Fatalf("sealed bytes did not shrink: %d -> %d", before, after)
	}
	for _, name := range []string{"held report", "open report", "rewarded report"} {
		if _, err := w.store.Tip(ctx, ids[name]); err != nil {
			t.Fatalf("the %s was shredded", name)
		}
	}
	if _, err := w.audit.Verify(ctx, ""); err != nil {
		t.Fatalf("audit log broken after shredding: %v", err)
	}
}
