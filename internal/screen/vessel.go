package screen

import (
	"fmt"
	"strings"

	"tipline/internal/screen/ident"
)

// ReportedVessel is what a report says about one ship: its name, IMO number
// and flag, as the source wrote them; any may be empty.
type ReportedVessel struct {
	Name, IMO, Flag string
}

// ScreenVessel screens one ship of a report: its name and its IMO number as
// Screen does, then weighs the name's hits against the rest of the report.
// A valid IMO number is the strongest evidence there is: a ship the name
// matches whose listed IMO number is another is another ship by that name,
// so its hit moves to the possible tier (or is dropped, when opt asks for
// no possible matches) and says why. A flag corroborates or not: the hit
// says whether the list gives it, current or former, but its score is
// unchanged, since sanctioned ships change flags often. A listed person the
// name matches short of exactly is another party by that name (a company
// is not: ships and their owners share names).
func (ix *Index) ScreenVessel(v ReportedVessel, opt Options) Result {
	var imo string
	if strings.TrimSpace(v.IMO) != "" {
		if n, err := ident.ParseIMO(v.IMO); err == nil {
			imo = string(n)
		}
	}
	query := strings.TrimSpace(v.Name)
	if v.IMO != "" {
		query = strings.TrimSpace(query + "\nIMO " + strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(v.IMO)), "IMO"))
	}
	res := ix.Screen(query, opt)
	flag := strings.TrimSpace(v.Flag)
	return ix.weigh(res, opt, func(h Hit, e *Entry) (bool, string) {
		if e.Kind == KindPerson {
			return otherKind(h, e, "a ship")
		}
		if listed := entryIMOs(e); imo != "" && len(listed) > 0 && !containsString(listed, imo) {
			return true, fmt.Sprintf("; but the report gives IMO %s, and the list gives this ship IMO %s: another ship by this name", imo, strings.Join(listed, ", "))
		}
		return false, flagNote(e, flag)
	})
}

// entryOf returns the entry a hit names, or nil.
func (ix *Index) entryOf(h Hit) *Entry {
	if ei, ok := ix.byKey[string(h.Source)+":"+h.ID]; ok {
		return ix.entries[ei].e
	}
	return nil
}

// entryIMOs returns the ship IMO numbers an entry lists.
func entryIMOs(e *Entry) []string {
	var out []string
	for _, id := range e.Identifiers {
		if id.Type == IDIMO && !containsString(out, id.Value) {
			out = append(out, id.Value)
		}
	}
	return out
}

// flagNote says whether the list gives the reported flag, when both say
// something.
func flagNote(e *Entry, flag string) string {
	if flag == "" || e.Vessel == nil || len(e.Vessel.Flags) == 0 {
		return ""
	}
	code := CountryCode(flag)
	for _, f := range e.Vessel.Flags {
		if strings.EqualFold(strings.TrimSpace(f), flag) || (code != "" && CountryCode(f) == code) {
			return fmt.Sprintf("; the report's flag %s is one the list gives it", flag)
		}
	}
	return fmt.Sprintf("; the report's flag %s is not one the list gives it (%s)", flag, strings.Join(e.Vessel.Flags, ", "))
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
