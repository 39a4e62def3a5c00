package desk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/testenv"
	"tipline/internal/tip"
)

// The committee sees on a recommendation what the analyst sees on the
// report: that it named a listed ship before Tipline held a list naming it —
// even when no analyst opened the report since the list arrived. A reward on
// a report that named nothing before it was listed says nothing of the kind.
func TestRewardPageShowsNamedBeforeListed(t *testing.T) {
	testenv.NeedFile(t, vesselsList)
	w := newWorld(t, storetest.Backends(t)[0])
	analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
	judge := w.login(w.addUser("judge", tip.RoleCommittee))

	w.submit("Met the tanker IMO 8712362 off Nampo", "", "") // before any list
	_, queue := analyst.get("/tips")
	early := tipLink.FindStringSubmatch(queue)[1]
	rid, status := recommendOn(t, analyst, early, "250000")
	if status != http.StatusSeeOther {
		t.Fatalf("recommendation: %d", status)
	}
	importList(t, w)
	if _, err := w.screening.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, page := judge.get("/rewards/" + rid)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the committee opening the reward: %d", resp.StatusCode)
	}
	i := strings.Index(page, `id="named-before-listed"`)
	if i < 0 || !strings.Contains(page[i:], "CHON MYONG") || !strings.Contains(page[i:], "days before Tipline first held a list naming it") {
		t.Fatalf("the reward page lacks the named-before-listed evidence:\n%s", page)
	}
	if _, report := analyst.get("/tips/" + early); !strings.Contains(report, `id="named-before-listed"`) {
		t.Fatal("the report page lost the record the reward page made")
	}

	w.submit("Ship-to-ship with M/V Chon Myong 1 at night", "", "") // after the list
	_, queue = analyst.get("/tips")
	var later string
	for _, m := range tipLink.FindAllStringSubmatch(queue, -1) {
		if m[1] != early {
			later = m[1]
		}
	}
	rid, _ = recommendOn(t, analyst, later, "1000")
	if _, page := judge.get("/rewards/" + rid); strings.Contains(page, `id="named-before-listed"`) {
		t.Fatal("a report sent after the list was imported is shown to the committee as naming the ship before it was listed")
	}
}
