package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tipline/internal/screen/listfmt"
	"tipline/internal/store/storetest"
	"tipline/internal/testenv"
	"tipline/internal/tip"
)

const vesselsList = "../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html"

// A report naming a designated ship reaches the analyst already flagged, with
// the list, the entry and the reason. A report that came in before the list
// was imported is flagged through the blind index as soon as the list
// arrives, without being opened, and screened again when the analyst opens it.
func TestReportsAreScreenedAtIntakeAndWhenListsChange(t *testing.T) {
	testenv.NeedFile(t, vesselsList)
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	ctx := context.Background()

	w.submit("Met the tanker IMO 8712362 off Nampo", "", "") // before any list
	importList(t, w)
	if _, err := w.screening.Load(ctx); err != nil {
		t.Fatal(err)
	}
	_, queue := kim.get("/tips?hits=yes")
	early := tipLink.FindStringSubmatch(queue)
	if early == nil {
		t.Fatal("the report sent before the list arrived should be flagged through the blind index")
	}
	_, page := kim.get("/tips/" + early[1])
	for _, want := range []string{`id="hits"`, "8712362", "CHON MYONG", "New since the lists changed", `id="named-before-listed"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("report page lacks %q", want)
		}
	}
	// It named the ship before Tipline held a list naming it: the page
	// says so, and so does every later opening (the record is sealed).
	if _, again := kim.get("/tips/" + early[1]); !strings.Contains(again, `id="named-before-listed"`) || !strings.Contains(again, "CHON MYONG") {
		t.Fatal("the named-before-listed record did not last")
	}

	w.submit("Ship-to-ship with M/V Chon Myong 1 at night", "", "")
	_, queue = kim.get("/tips?hits=yes")
	links := tipLink.FindAllStringSubmatch(queue, -1)
	if len(links) != 2 {
		t.Fatalf("both reports should be in the has-hits queue, got %d", len(links))
	}
	// The later report's hits were sealed with it at intake: its page shows
	// them as they were found then, not as news from a re-screen.
	later := links[0][1]
	if later == early[1] {
		later = links[1][1]
	}
	_, page = kim.get("/tips/" + later)
	if !strings.Contains(page, `id="hits"`) || !strings.Contains(page, "CHON MYONG") {
		t.Fatal("the report screened at intake should show its hits")
	}
	if strings.Contains(page, "New since the lists changed") {
		t.Fatal("the intake screening was redone instead of read from the sealed report")
	}
	if strings.Contains(page, `id="named-before-listed"`) {
		t.Fatal("a report sent after the list was imported is marked as naming the ship before it was listed")
	}
	w.submit("nothing on any list here", "", "")
	_, queue = kim.get("/tips?hits=no")
	if n := len(tipLink.FindAllString(queue, -1)); n != 1 {
		t.Fatalf("one report should have no hits, got %d", n)
	}
}

func importList(t *testing.T, w *world) {
	t.Helper()
	l, err := listfmt.ParseFile(vesselsList)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.ImportList(context.Background(), l, string(listfmt.FormatUNVessels), time.Now(), false); err != nil {
		t.Fatal(err)
	}
}

// A report naming a ship only weakly — in the possible tier — shows the
// candidate apart from the hits, with its score and explanation, and stays
// out of the has-hits queue; a report naming it outright is flagged.
func TestPossibleMatchesAreShownApartAndNotFlagged(t *testing.T) {
	testenv.NeedFile(t, vesselsList)
	w := newWorld(t, storetest.Backends(t)[0])
	kim := w.login(w.addUser("kim", tip.RoleAnalyst))
	importList(t, w)
	if _, err := w.screening.Load(context.Background()); err != nil {
		t.Fatal(err)
	}

	w.submit("Ship-to-ship with the Chong Myong at night", "", "")
	if _, queue := kim.get("/tips?hits=yes"); tipLink.MatchString(queue) {
		t.Fatal("a report with only possible matches is in the has-hits queue")
	}
	_, queue := kim.get("/tips?hits=no")
	weak := tipLink.FindStringSubmatch(queue)
	if weak == nil {
		t.Fatal("the report with only possible matches is missing from the no-hits queue")
	}
	_, page := kim.get("/tips/" + weak[1])
	possible := section(page, `<section id="possible-hits">`, `</section>`)
	for _, want := range []string{"Possible matches — weaker candidates; not flagged", "un-vessels", "8712362 — CHON MYONG 1", "0.82", "matches the listed name"} {
		if !strings.Contains(possible, want) {
			t.Fatalf("the possible matches section lacks %q:\n%s", want, possible)
		}
	}
	if strings.Contains(page, `id="hits"`) || !strings.Contains(page, "No hits on the lists in force.") {
		t.Fatal("a possible match is shown among the hits")
	}

	w.submit("Ship-to-ship with M/V Chon Myong 1 at night", "", "")
	_, queue = kim.get("/tips?hits=yes")
	strong := tipLink.FindStringSubmatch(queue)
	if strong == nil || strong[1] == weak[1] {
		t.Fatal("a strong hit should put its report, and only it, in the has-hits queue")
	}
	_, page = kim.get("/tips/" + strong[1])
	if hits := section(page, `<table id="hits">`, `</table>`); !strings.Contains(hits, "8712362 — CHON MYONG 1") {
		t.Fatal("the strong hit is missing from the hits table")
	}
}

// section returns the part of page from start to the next end, "" when
// start is not there.
func section(page, start, end string) string {
	i := strings.Index(page, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], end)
	if j < 0 {
		return page[i:]
	}
	return page[i : i+j]
}
