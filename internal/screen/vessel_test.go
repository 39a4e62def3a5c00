package screen_test

import (
	"strings"
	"testing"

	"tipline/internal/screen"
	"tipline/internal/screen/ident"
)

// TestScreenVessel checks that a report's IMO number outranks the ship's
// name, and that its flag is said to agree or not.
func TestScreenVessel(t *testing.T) {
	lists, ix := snapshots(t)
	// A listed ship with an IMO number and a flag, which its name alone
	// finds.
	var key, name, imo string
	var flags []string
	for _, l := range lists {
		for _, e := range l.Entries {
			if key != "" || e.Vessel == nil || len(e.Vessel.Flags) == 0 {
				continue
			}
			for _, id := range e.Identifiers {
				if id.Type == screen.IDIMO && len(ix.ScreenVessel(screen.ReportedVessel{Name: e.PrimaryName()}, screen.Options{}).Hits) > 0 {
					key, name, imo, flags = e.Key(), e.PrimaryName(), id.Value, e.Vessel.Flags
					break
				}
			}
		}
	}
	if key == "" {
		t.Fatal("no listed ship with an IMO number and a flag in these snapshots")
	}
	t.Logf("%s %q, IMO %s, flags %v", key, name, imo, flags)
	other := "123456" + string(ident.IMOCheckDigit("123456"))
	find := func(hits []screen.Hit) *screen.Hit {
		for i := range hits {
			if string(hits[i].Source)+":"+hits[i].ID == key {
				return &hits[i]
			}
		}
		return nil
	}
	opt := screen.Options{Possible: screen.DefaultPossible}

	if h := find(ix.ScreenVessel(screen.ReportedVessel{Name: name}, opt).Hits); h == nil {
		t.Fatal("the name alone: no hit")
	}
	// Another ship's IMO number: the name's hit is only possible.
	r := ix.ScreenVessel(screen.ReportedVessel{Name: name, IMO: "IMO " + other}, opt)
	if h := find(r.Hits); h != nil {
		t.Errorf("another IMO number: still a hit: %+v", h)
	}
	if h := find(r.Possible); h == nil || !strings.Contains(h.Why, "IMO "+other) || !strings.Contains(h.Why, imo) {
		t.Errorf("another IMO number: possible %+v", r.Possible)
	}
	if r := ix.ScreenVessel(screen.ReportedVessel{Name: name, IMO: other}, screen.Options{}); find(r.Hits) != nil || len(r.Possible) != 0 {
		t.Errorf("another IMO number, no possible tier asked for: %+v", r)
	}
	// The ship's own IMO number, or one with a wrong check digit (no
	// evidence, a warning): the hit stays.
	for _, imo := range []string{imo, imo[:6] + string("0123456789"[(imo[6]-'0'+1)%10])} {
		if h := find(ix.ScreenVessel(screen.ReportedVessel{Name: name, IMO: imo}, opt).Hits); h == nil {
			t.Errorf("IMO %s: no hit", imo)
		}
	}
	// The flag corroborates or not; the score is the same.
	agree := find(ix.ScreenVessel(screen.ReportedVessel{Name: name, Flag: flags[0]}, opt).Hits)
	disagree := find(ix.ScreenVessel(screen.ReportedVessel{Name: name, Flag: "Narnia"}, opt).Hits)
	if agree == nil || !strings.Contains(agree.Why, "flag "+flags[0]+" is one the list gives") {
		t.Errorf("flag %s: %+v", flags[0], agree)
	}
	if disagree == nil || !strings.Contains(disagree.Why, "flag Narnia is not one the list gives") || disagree.Score != agree.Score {
		t.Errorf("flag Narnia: %+v", disagree)
	}
}
