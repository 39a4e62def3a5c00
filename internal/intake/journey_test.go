package intake_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tipline/internal/receipt"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A source submits in English, comes back with the receipt typed
// differently, reads the report's public status, writes to the analysts, and
// finally ends the receipt for good.
func TestSourceJourney(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			c := s.client(t)
			for _, p := range []string{"/", "/ko/", "/zh/", "/ru/", "/submit", "/status", "/offers/" + s.offerID} {
				if resp, _ := c.get(p); resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", p, resp.StatusCode)
				}
			}
			receipt := c.submit("/submit", form{
				fields: [][2]string{{"category", "ship_to_ship"}, {"message", "Two tankers alongside off Nampo"}, {"wants_reward", "1"},
					{"vessel_name", "CHON MYONG 1"}, {"vessel_imo", "IMO 8712362"}},
				files: [][2]string{{"log.txt", "bridge log, 03:10 hoses connected"}},
			})
			if len(strings.Fields(receipt)) != 8 {
				t.Fatalf("receipt %q is not eight words", receipt)
			}

			resp, page := c.postForm("/status", map[string]string{"receipt": "my receipt was 12"})
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "eight words or 32 digits") {
				t.Fatalf("a malformed receipt should get a clear message, got %d", resp.StatusCode)
			}
			if resp.Header.Get("Set-Cookie") != "" {
				t.Fatal("a failed login set a cookie")
			}
			typed := strings.ToUpper(strings.ReplaceAll(receipt, " ", "-"))
			resp, page = c.postForm("/status", map[string]string{"receipt": typed})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status login: %d", resp.StatusCode)
			}
			for _, want := range []string{`id="status">received<`, "Two tankers alongside off Nampo", `id="reward">under review`, "log.txt"} {
				if !strings.Contains(page, want) {
					t.Fatalf("status page lacks %q:\n%s", want, page)
				}
			}
			cookie := resp.Header.Get("Set-Cookie")
			for _, want := range []string{"HttpOnly", "SameSite=Strict", "Max-Age="} {
				if !strings.Contains(cookie, want) {
					t.Fatalf("session cookie %q lacks %s", cookie, want)
				}
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatal("status page may be cached")
			}

			resp, page = c.postMultipart("/status/messages", form{
				fields: [][2]string{{"message", "The second ship had no name painted"}},
				files:  [][2]string{{"photo-notes.txt", "notes"}},
			})
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "The second ship had no name painted") || !strings.Contains(page, "photo-notes.txt") {
				t.Fatalf("message not shown after sending (%d):\n%s", resp.StatusCode, page)
			}

			resp, page = c.postForm("/status/end", map[string]string{"confirm": "1"})
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "no longer opens anything") {
				t.Fatalf("end access: %d\n%s", resp.StatusCode, page)
			}
			resp, page = s.client(t).postForm("/status", map[string]string{"receipt": receipt})
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "No report was found") {
				t.Fatalf("an ended receipt must find nothing, got %d", resp.StatusCode)
			}
			if resp, _ := c.get("/status"); resp.StatusCode != http.StatusOK {
				t.Fatal("the status page should fall back to the receipt form")
			}
		})
	}
}

// Korean, Chinese and Russian pages give digit receipts, and the status page
// answers in the language it was asked in.
func TestReceiptFormFollowsLanguage(t *testing.T) {
	b := storetest.Backends(t)[0]
	s := newSite(t, b, siteOptions{})
	c := s.client(t)
	receipt := c.submit("/ko/submit", form{fields: [][2]string{{"category", "cyber"}, {"message", "라자루스 지갑으로 송금"}}})
	if strings.Trim(receipt, "0123456789 ") != "" || len(strings.Fields(receipt)) != 8 {
		t.Fatalf("Korean receipt %q is not eight groups of digits", receipt)
	}
	resp, page := c.postForm("/ko/status", map[string]string{"receipt": strings.ReplaceAll(receipt, " ", "")})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "라자루스 지갑으로 송금") || !strings.Contains(page, `lang="ko"`) {
		t.Fatalf("Korean status page wrong (%d)", resp.StatusCode)
	}
}

// Validation errors re-render the form with the answers kept and the problem
// next to its field; a wrong IMO check digit is flagged.
func TestValidationKeepsAnswersAndFlagsIMOCheckDigit(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	resp, page := c.postMultipart("/submit", form{
		fields: [][2]string{{"category", "oil"}, {"message", "Oil to Nampo <b>at night</b>"}, {"vessel_name", "SAEBYOL"}, {"vessel_imo", "8916294"}},
		files:  [][2]string{{"a.txt", "x"}},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %d", resp.StatusCode)
	}
	for _, want := range []string{"The IMO number 8916294 is not valid", "Oil to Nampo &lt;b&gt;at night&lt;/b&gt;", `value="SAEBYOL"`, "choose your files again"} {
		if !strings.Contains(page, want) {
			t.Fatalf("form lacks %q", want)
		}
	}
	if receiptOf(page) != "" {
		t.Fatal("an invalid report got a receipt")
	}
	if n := storetest.TipCount(t, s.store); n != 0 {
		t.Fatalf("%d tips stored from an invalid report", n)
	}
}

// Three ship rows show open; up to tip.MaxVessels more are under "More
// ships", which opens without JavaScript (a <details> element), and which a
// re-rendered form opens itself when the source filled a row in it.
func TestMoreShipsWithoutJavaScript(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	_, page := c.get("/submit")
	more := strings.Index(page, `<details id="more-vessels">`)
	if more < 0 || strings.Count(page[:more], `name="vessel_name"`) != 3 || strings.Count(page, `name="vessel_name"`) != tip.MaxVessels {
		t.Fatalf("want 3 open ship rows and %d in all, the rest in a closed More ships section", tip.MaxVessels)
	}
	fields := [][2]string{{"category", "ship_to_ship"}, {"message", "Five tankers alongside at night"}}
	for i := range 5 {
		imo := ""
		if i == 4 {
			imo = "8916294" // a wrong check digit, in a row under More ships
		}
		fields = append(fields, [2]string{"vessel_name", fmt.Sprintf("TANKER %d", i+1)}, [2]string{"vessel_imo", imo}, [2]string{"vessel_mmsi", ""}, [2]string{"vessel_flag", ""})
	}
	resp, page := c.postMultipart("/submit", form{fields: fields})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %d", resp.StatusCode)
	}
	if !strings.Contains(page, `<details id="more-vessels" open>`) || !strings.Contains(page, `value="TANKER 5"`) || !strings.Contains(page, "8916294 is not valid") {
		t.Fatal("the re-rendered form does not show the fifth ship and its problem in an open More ships section")
	}
	fields[len(fields)-3][1] = "9321483"
	rcpt := c.submit("/submit", form{fields: fields})
	report, _ := openAsRecovery(t, s, rcpt)
	if len(report.Vessels) != 5 || report.Vessels[4].IMO != "9321483" {
		t.Fatalf("the report kept %d ships: %+v", len(report.Vessels), report.Vessels)
	}
}

// Reports that name the same ship are linked through the blind index, without
// opening either.
func TestReportsNamingTheSameShipAreLinked(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	first := c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "Tanker IMO 8712362 took oil at night"}}})
	c.submit("/submit", form{fields: [][2]string{{"category", "ship_to_ship"}, {"message", "alongside"}, {"vessel_imo", "8712362"}}})
	c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "unrelated"}}})
	readings, _ := receipt.Parse(first)
	tp, err := s.store.TipByReceipt(t.Context(), readings[0].LookupID())
	if err != nil {
		t.Fatal(err)
	}
	linked, err := s.store.LinkedTips(t.Context(), tp.ID)
	if err != nil || len(linked) != 1 {
		t.Fatalf("want exactly the other report naming IMO 8712362 linked, got %v, %v", linked, err)
	}
}
