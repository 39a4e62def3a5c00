package screening_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tipline/internal/blind"
	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/screening"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/testenv"
	"tipline/internal/tip"
)

const vessels = "../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html"

func TestScreenFindsStructuredFieldsAndMarksNewHits(t *testing.T) {
	testenv.NeedFile(t, vessels)
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		bi, _ := blind.New(bytes.Repeat([]byte{1}, 32))
		svc := screening.New(s, bi, slog.New(slog.NewTextHandler(io.Discard, nil)))
		rep := &tip.Report{Message: "a transfer at night", Vessels: []tip.Vessel{{Name: "unknown", IMO: "8712362"}}}
		before := svc.Screen(rep)
		if before.HasHits() || before.Versions != "" {
			t.Fatalf("with no lists nothing can be found: %+v", before)
		}
		l, err := listfmt.ParseFile(vessels)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportList(ctx, l, string(listfmt.FormatUNVessels), time.Now(), false); err != nil {
			t.Fatal(err)
		}
		if changed, err := svc.Load(ctx); err != nil || !changed {
			t.Fatalf("Load: %v, %v", changed, err)
		}
		if changed, _ := svc.Load(ctx); changed {
			t.Fatal("loading the same versions again should change nothing")
		}
		// The report came in 40 days before the list that names the ship.
		after := svc.Rescreen(ctx, rep, before, time.Now().Add(-40*24*time.Hour))
		if !after.HasHits() || after.Hits[0].ID != "8712362" || len(after.New) == 0 {
			t.Fatalf("the IMO in the vessel row should hit the vessels list and be new: %+v", after)
		}
		if len(after.NamedBefore) != 1 || after.NamedBefore[0].Days != 40 || after.NamedBefore[0].Published.Format("2006-01-02") != "2020-06-04" {
			t.Fatalf("named before it was listed: %+v", after.NamedBefore)
		}
		// A report that came after the list is no such sign; an earlier
		// record is kept through later screenings.
		if late := svc.Rescreen(ctx, rep, before, time.Now().Add(time.Hour)); len(late.NamedBefore) != 0 {
			t.Fatalf("a report after the list: %+v", late.NamedBefore)
		}
		if kept := svc.Rescreen(ctx, rep, after, time.Now()); len(kept.NamedBefore) != 1 {
			t.Fatalf("the record was lost: %+v", kept.NamedBefore)
		}
		// A ship's IMO number outranks its name: the listed name with
		// another ship's number names another ship.
		if named := svc.Screen(&tip.Report{Vessels: []tip.Vessel{{Name: "Chon Myong 1"}}}); !named.HasHits() || named.Hits[0].ID != "8712362" {
			t.Fatalf("the listed ship's name: %+v", named)
		}
		if other := svc.Screen(&tip.Report{Vessels: []tip.Vessel{{Name: "Chon Myong 1", IMO: "1234567"}}}); other.HasHits() {
			t.Fatalf("the listed ship's name with another IMO number: %+v", other)
		}
		typo := svc.Screen(&tip.Report{Message: "the tanker IMO 8712363"})
		if typo.HasHits() || len(typo.Warnings) == 0 {
			t.Fatalf("a wrong check digit is a warning, never a hit: %+v", typo)
		}
	})
}

// A name that scores only in the possible tier is kept apart from the hits:
// the analyst sees it, but it raises no "has hits" flag and no "new hit".
func TestScreenKeepsPossibleMatchesApartFromHits(t *testing.T) {
	testenv.NeedFile(t, vessels)
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		bi, _ := blind.New(bytes.Repeat([]byte{1}, 32))
		svc := screening.New(s, bi, slog.New(slog.NewTextHandler(io.Discard, nil)))
		l, err := listfmt.ParseFile(vessels)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportList(ctx, l, string(listfmt.FormatUNVessels), time.Now(), false); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Load(ctx); err != nil {
			t.Fatal(err)
		}
		// "Chong Myong" scores 0.82 against CHON MYONG 1: under the threshold.
		weak := svc.Screen(&tip.Report{People: []string{"Chong Myong"}})
		if weak.HasHits() {
			t.Fatalf("a possible match counted as a hit: %+v", weak.Hits)
		}
		if !hasEntry(weak.Possible, "8712362") {
			t.Fatalf("CHON MYONG 1 should be a possible match, got %+v", weak.Possible)
		}
		for _, h := range weak.Possible {
			if h.Why == "" || h.Score >= screen.DefaultThreshold || h.Score < screen.DefaultPossible {
				t.Fatalf("a possible match out of its tier or unexplained: %+v", h)
			}
		}
		// A ship whose name matches but whose IMO number is another's is
		// another ship by that name: possible, with the reason.
		other := svc.Screen(&tip.Report{Vessels: []tip.Vessel{{Name: "Chon Myong 1", IMO: "9074729"}}})
		if other.HasHits() || !hasEntry(other.Possible, "8712362") {
			t.Fatalf("a namesake with another IMO number should be possible only: hits %+v, possible %+v", other.Hits, other.Possible)
		}
		// The same entry named strongly elsewhere in the report is a hit,
		// and only a hit.
		both := svc.Screen(&tip.Report{Message: "Chon Myong 1 was there", People: []string{"Chong Myong"}})
		if !hasEntry(both.Hits, "8712362") || hasEntry(both.Possible, "8712362") {
			t.Fatalf("a strong hit should be a hit only: hits %+v, possible %+v", both.Hits, both.Possible)
		}
		// A re-screen marks only hits as new.
		again := svc.Rescreen(ctx, &tip.Report{People: []string{"Chong Myong"}}, screening.Outcome{}, time.Now())
		if len(again.New) != 0 || len(again.NamedBefore) != 0 {
			t.Fatalf("a possible match was marked as a new hit: %+v", again.New)
		}
	})
}

func hasEntry(hits []screen.Hit, id string) bool {
	for _, h := range hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

// What a report says of a person or company besides the name — given in
// brackets after it — corroborates a listed one or makes it another by that
// name: a possible match, never a hit, with the reason.
func TestScreenWeighsWhatAReportSaysBesidesTheName(t *testing.T) {
	const consolidated = "../../../shared/data/lists/un/consolidated-2026-02-27.xml"
	testenv.NeedFile(t, consolidated)
	storetest.ForEach(t, func(t *testing.T, s *store.Store, _ storetest.Backend) {
		ctx := context.Background()
		bi, _ := blind.New(bytes.Repeat([]byte{1}, 32))
		svc := screening.New(s, bi, slog.New(slog.NewTextHandler(io.Discard, nil)))
		l, err := listfmt.ParseFile(consolidated)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportList(ctx, l, string(listfmt.FormatUN), time.Now(), false); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Load(ctx); err != nil {
			t.Fatal(err)
		}
		// KIM JONG SIK, KPi.066: born between 1967 and 1969, of the DPRK.
		for _, c := range []struct {
			line, why string
			hit       bool
		}{
			{"Kim Jong Sik", "", true},
			{"Kim Jong Sik (North Korea, 1968)", "born 1968 as the report says", true},
			{"Kim Jong Sik (북한)", "nationality 북한 as the report says", true},
			{"Kim Jong Sik (China, 1968)", "the report gives nationality China", true},
			{"Kim Jong Sik (1990)", "the report gives born 1990, and the list gives 1967/1969: another person by this name", false},
			{"Kim Jong Sik (South Korea)", "the report gives nationality South Korea", false},
		} {
			out := svc.Screen(&tip.Report{People: []string{c.line}})
			h := hitByID(out.Hits, "KPi.066")
			p := hitByID(out.Possible, "KPi.066")
			switch {
			case c.hit && (h == nil || p != nil), !c.hit && (h != nil || p == nil):
				t.Errorf("%q: want hit %v; hits %+v, possible %+v", c.line, c.hit, out.Hits, out.Possible)
			case h != nil && !strings.Contains(h.Why, c.why), p != nil && !strings.Contains(p.Why, c.why):
				t.Errorf("%q: explanation lacks %q: %+v %+v", c.line, c.why, h, p)
			}
		}
	})
}

func hitByID(hits []screen.Hit, id string) *screen.Hit {
	for i := range hits {
		if hits[i].ID == id {
			return &hits[i]
		}
	}
	return nil
}
