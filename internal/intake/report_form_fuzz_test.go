package intake

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"tipline/internal/blind"
	"tipline/internal/tip"
)

// The form-to-report path: a source's answers, as any bytes a form can
// carry, become a report that is normalised once and for all, has at most
// one vessel row past the limit (for Validate to refuse), validates without
// panicking, keeps only valid UTF-8 once valid, survives being sealed as
// JSON, and yields the terms the blind index is built from.
func FuzzReportFromForm(f *testing.F) {
	for _, seed := range []string{
		"category=oil&message=Two+tankers+alongside+off+Nampo&wants_reward=1",
		"category=ship_to_ship&message=m&vessel_name=CHON+MYONG+1&vessel_imo=IMO+8712362&vessel_mmsi=&vessel_flag=KP&vessel_name=&vessel_imo=9&latitude=39.1&longitude=125.7",
		"category=crypto&message=laundering&wallets=0x52908400098527886E0F7030069857D2E4169EE7%0D%0A%0D%0Abc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq&companies=++Korea+Haegumgang+Trading++%0Apeople=Pak",
		"message=%FF%FE&category=&how_known=saw&keep_metadata=off&send_others_as_is=no",
		"category=oil&message=m&people=Pak+%FFYong&vessel_flag=K%FE",
		strings.Repeat("vessel_name=x&", 25) + "category=oil&message=m",
		"category=oil&message=" + strings.Repeat("%0D%0A", 50) + "&when=%E2%80%AE2024&where=%00",
	} {
		f.Add(seed)
	}
	offer := tip.Offer{ID: "offer", Categories: tip.DPRKCategories, IsDefault: true}
	f.Fuzz(func(t *testing.T, query string) {
		form, _ := url.ParseQuery(query) // what parses is what a handler gets
		rep := reportFromForm(form, "en")

		if len(rep.Vessels) > tip.MaxVessels+1 {
			t.Fatalf("%d vessel rows kept", len(rep.Vessels))
		}
		for _, v := range rep.Vessels {
			if v == (tip.Vessel{}) {
				t.Fatal("an empty vessel row was kept")
			}
		}
		for _, list := range [][]string{rep.Companies, rep.People, rep.Wallets, rep.BankAccounts} {
			for _, line := range list {
				if line == "" || line != strings.TrimSpace(line) || strings.ContainsAny(line, "\r\n") {
					t.Fatalf("list line %q is not one trimmed line", line)
				}
			}
		}
		before, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		again := *rep
		again.Vessels = append([]tip.Vessel(nil), rep.Vessels...)
		again.Normalize()
		if after, _ := json.Marshal(&again); !bytes.Equal(before, after) {
			t.Fatalf("normalising twice changed the report:\n%s\n%s", before, after)
		}

		if err := rep.Validate(offer); err == nil {
			if rep.Message == "" || len(rep.Message) > tip.MaxMessageBytes || !offer.HasCategory(rep.Category) {
				t.Fatalf("an invalid report passed: %q in %q", rep.Message, rep.Category)
			}
			if len(rep.Vessels) > tip.MaxVessels {
				t.Fatalf("%d vessels passed", len(rep.Vessels))
			}
			for _, s := range reportTexts(rep) {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 passed: %q", s)
				}
			}
			// What passes is sealed as JSON and must read back as it was.
			var sealed tip.Report
			if err := json.Unmarshal(before, &sealed); err != nil {
				t.Fatalf("the report does not read back: %v", err)
			}
			if back, _ := json.Marshal(&sealed); !bytes.Equal(before, back) {
				t.Fatalf("the report changed through JSON:\n%s\n%s", before, back)
			}
		} else if _, ok := err.(tip.FieldErrors); !ok {
			t.Fatalf("Validate answered %T, not field errors the form can show", err)
		}
		blind.Terms(rep)
	})
}

// reportTexts is every text a report holds from the form.
func reportTexts(r *tip.Report) []string {
	out := []string{string(r.Category), r.Message, r.When, r.Where, r.Latitude, r.Longitude, string(r.HowKnown)}
	for _, v := range r.Vessels {
		out = append(out, v.Name, v.IMO, v.MMSI, v.Flag)
	}
	for _, list := range [][]string{r.Companies, r.People, r.Wallets, r.BankAccounts} {
		out = append(out, list...)
	}
	return out
}
