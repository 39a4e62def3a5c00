package intake

import (
	"net/url"
	"strings"

	"tipline/internal/tip"
)

// reportFromForm reads the report's fields. Vessel rows come as parallel
// repeated fields (vessel_name, vessel_imo, ...), in form order.
func reportFromForm(f url.Values, lang string) *tip.Report {
	r := &tip.Report{
		Language:       lang,
		Category:       tip.Category(f.Get("category")),
		Message:        f.Get("message"),
		When:           f.Get("when"),
		Where:          f.Get("where"),
		Latitude:       f.Get("latitude"),
		Longitude:      f.Get("longitude"),
		Companies:      splitLines(f.Get("companies")),
		People:         splitLines(f.Get("people")),
		Wallets:        splitLines(f.Get("wallets")),
		BankAccounts:   splitLines(f.Get("bank_accounts")),
		HowKnown:       tip.HowKnown(f.Get("how_known")),
		WantsReward:    checked(f, "wants_reward"),
		KeepMetadata:   checked(f, "keep_metadata"),
		SendOthersAsIs: checked(f, "send_others_as_is"),
	}
	names, imos, mmsis, flags := f["vessel_name"], f["vessel_imo"], f["vessel_mmsi"], f["vessel_flag"]
	rows := max(len(names), len(imos), len(mmsis), len(flags))
	for i := range min(rows, tip.MaxVessels+1) {
		r.Vessels = append(r.Vessels, tip.Vessel{Name: at(names, i), IMO: at(imos, i), MMSI: at(mmsis, i), Flag: at(flags, i)})
	}
	r.Normalize()
	return r
}

func checked(f url.Values, name string) bool {
	switch strings.ToLower(f.Get(name)) {
	case "", "0", "off", "false", "no":
		return false
	}
	return true
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// splitLines splits a list a source typed one item a line. A line ends at
// LF, CRLF or a lone CR, so no item keeps a line break.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func lines(s []string) string { return strings.Join(s, "\n") }
