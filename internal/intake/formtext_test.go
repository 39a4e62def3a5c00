package intake_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The text of one form is bounded in all, however it is split: the longest
// report the form takes is accepted, and a form of more text — in a few
// long fields, in many fields, or in a part's header — is refused with a
// page that says so, having been held in memory no further than the bound.
func TestFormTextIsBounded(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)

	longest := [][2]string{{"category", "oil"}, {"message", strings.Repeat("m", tip.MaxMessageBytes)},
		{"when", strings.Repeat("w", tip.MaxFieldBytes)}, {"where", strings.Repeat("w", tip.MaxFieldBytes)}}
	for _, list := range []string{"companies", "people", "wallets", "bank_accounts"} {
		var lines []string
		for i := range tip.MaxListLines {
			lines = append(lines, fmt.Sprintf("%03d %s", i, strings.Repeat("n", 96)))
		}
		longest = append(longest, [2]string{list, strings.Join(lines, "\r\n")})
	}
	for range tip.MaxVessels {
		longest = append(longest, [][2]string{{"vessel_name", "CHON MYONG 1"}, {"vessel_imo", "IMO 8712362"}, {"vessel_mmsi", ""}, {"vessel_flag", "KP"}}...)
	}
	c.submit("/submit", form{fields: longest})

	floods := map[string]form{
		"three long fields": {fields: [][2]string{{"category", "oil"}, {"message", strings.Repeat("x", 190_000)},
			{"where", strings.Repeat("x", 190_000)}, {"when", strings.Repeat("x", 190_000)}}},
		"many fields":       {fields: repeatField("vessel_name", strings.Repeat("x", 1000), 900)},
		"a long field name": {fields: [][2]string{{strings.Repeat("n", 1<<20), "v"}}},
	}
	for name, f := range floods {
		resp, page := c.postMultipart("/submit", f)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "text you wrote is too long: at most 512 KiB") {
			t.Errorf("%s: want 413 saying the text is too long, got %d", name, resp.StatusCode)
		}
	}
	if n := storetest.TipCount(t, s.store); n != 1 {
		t.Fatalf("%d tips stored", n)
	}
}

func repeatField(name, value string, n int) [][2]string {
	out := make([][2]string, n)
	for i := range out {
		out[i] = [2]string{name, value}
	}
	return out
}
