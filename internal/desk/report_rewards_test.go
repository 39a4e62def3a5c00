package desk_test

import (
	"net/http"
	"regexp"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The report page lists the rewards recommended on it, each with its state
// and a link to its page, so that an analyst who left a reward's page finds
// it again from the report.
func TestReportPageLinksItsRewards(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
	judges := []*browser{w.login(w.addUser("judge-one", tip.RoleCommittee)), w.login(w.addUser("judge-two", tip.RoleCommittee))}
	w.submit("a report that earns two rewards", "", "")
	_, queue := analyst.get("/tips")
	id := tipLink.FindStringSubmatch(queue)[1]
	if _, page := analyst.get("/tips/" + id); regexp.MustCompile(`href="/rewards/`).MatchString(page) {
		t.Fatal("a report with no reward links one")
	}
	approved, _ := recommendOn(t, analyst, id, "250000")
	open, _ := recommendOn(t, analyst, id, "1000")
	for _, j := range judges {
		if resp, _ := j.post("/rewards/"+approved+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approval: %d", resp.StatusCode)
		}
	}
	for who, b := range map[string]*browser{"the analyst": analyst, "a committee member": judges[0]} {
		resp, page := b.get("/tips/" + id)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s opening the report: %d", who, resp.StatusCode)
		}
		for rid, want := range map[string]string{approved: `US\$250,000</a>.*kim.*>approved<`, open: `US\$1,000</a>.*kim.*>recommended<`} {
			row := regexp.MustCompile(`<tr><td><a href="/rewards/` + rid + `">` + want)
			if !row.MatchString(page) {
				t.Fatalf("%s: the report page should link reward %s with its state (%s):\n%s", who, rid, want, page)
			}
		}
	}
}
