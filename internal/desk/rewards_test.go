package desk_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tipline/internal/reward"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

var rewardLink = regexp.MustCompile(`^/rewards/([a-z0-9]{26})$`)

// recommendOn recommends a reward through the desk and returns its id, or
// the refusal's status.
func recommendOn(t *testing.T, b *browser, tipID, amount string) (string, int) {
	t.Helper()
	resp, _ := b.post("/tips/"+tipID+"/rewards", url.Values{"amount": {amount}, "justification": {"led to the seizure of the cargo"}, "panned_out": {"the IMO and the date"}})
	if resp.StatusCode != http.StatusSeeOther {
		return "", resp.StatusCode
	}
	m := rewardLink.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("recommendation redirected to %q", resp.Header.Get("Location"))
	}
	return m[1], resp.StatusCode
}

// From report to payment through the real servers: recommendation, one
// approval (not enough), a second, the payment — and the source sees "paid"
// with the amount; with every refusal the issue names.
func TestRewardFromReportToPayment(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			w := newWorld(t, b)
			analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
			m1 := w.addUser("judge-one", tip.RoleCommittee)
			m2 := w.addUser("judge-two", tip.RoleCommittee)
			other := w.login(w.addUser("lee", tip.RoleAnalyst))
			receipt := w.submit("The tanker's cargo was seized after my report", "", "")
			_, queue := analyst.get("/tips")
			id := tipLink.FindStringSubmatch(queue)[1]

			if _, status := recommendOn(t, analyst, id, "5000001"); status != http.StatusConflict {
				t.Fatalf("a recommendation over the cap: want 409, got %d", status)
			}
			rid, _ := recommendOn(t, analyst, id, "250,000")
			source := w.browser(w.source)
			_, page := source.post("/status", url.Values{"receipt": {receipt}})
			if !strings.Contains(page, `id="reward">reward recommended<`) || strings.Contains(page, "250,000") {
				t.Fatal("the source should see the recommendation without its amount")
			}

			judge1, judge2 := w.login(m1), w.login(m2)
			if resp, page := judge1.get("/rewards/" + rid); resp.StatusCode != http.StatusOK || !strings.Contains(page, "led to the seizure of the cargo") {
				t.Fatalf("a committee member should read the recommendation and its justification (%d)", resp.StatusCode)
			}
			if resp, page := analyst.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "role") {
				t.Fatalf("an analyst without the committee role approving: want 403, got %d", resp.StatusCode)
			}
			if resp, _ := other.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("another analyst approving: want 403, got %d", resp.StatusCode)
			}
			if resp, _ := judge1.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("first approval: %d", resp.StatusCode)
			}
			if resp, page := judge1.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "second committee member") {
				t.Fatalf("the same member approving twice: want 409 saying why, got %d", resp.StatusCode)
			}
			_, page = source.get("/status")
			if !strings.Contains(page, `id="reward">reward recommended<`) {
				t.Fatal("one approval is not enough to approve")
			}
			if resp, _ := judge2.post("/rewards/"+rid+"/payments", url.Values{"amount": {"250000"}, "currency": {"USD"}, "method": {"bank"}, "reference": {"TX-1"}}); resp.StatusCode != http.StatusConflict {
				t.Fatalf("paying before approval: want 409, got %d", resp.StatusCode)
			}
			if resp, _ := judge2.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("second approval: %d", resp.StatusCode)
			}
			_, page = source.get("/status")
			if !strings.Contains(page, `id="reward">approved: US$250,000<`) {
				t.Fatalf("the source should see the approved amount:\n%s", page)
			}
			if resp, _ := judge2.post("/rewards/"+rid+"/payments", url.Values{"amount": {"250000"}, "currency": {"USD"}, "method": {"bank"}, "reference": {"TX-1"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("payment: %d", resp.StatusCode)
			}
			_, page = source.get("/status")
			if !strings.Contains(page, `id="reward">paid: US$250,000<`) {
				t.Fatalf("the source should see paid with the amount:\n%s", page)
			}

			// A recommender never approves their own recommendation, even
			// when they sit on the committee too.
			both := w.login(w.addUser("park", tip.RoleAnalyst, tip.RoleCommittee))
			recommendOn(t, analyst, id, "1000")
			own, _ := recommendOn(t, both, id, "1000")
			if resp, page := both.post("/rewards/"+own+"/approve", nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "you recommended") {
				t.Fatalf("a recommender approving: want 403 saying why, got %d", resp.StatusCode)
			}
			problems, n, err := reward.Verify(context.Background(), w.store)
			if err != nil || len(problems) != 0 || n != 3 {
				t.Fatalf("the ledger should reconcile: %v %v %d", problems, err, n)
			}
			if resp, body := judge1.get("/oversight.csv"); resp.StatusCode != http.StatusOK || !strings.Contains(body, ",250000,") {
				t.Fatalf("oversight CSV: %d\n%s", resp.StatusCode, body)
			}
		})
	}
}

// Two recommendations of 3M on one report under a 5M cap, each approved
// once; the second approvals race through HTTP. Only one may win.
func TestApprovalsRacingPastTheCapThroughTheDesk(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			w := newWorld(t, b)
			analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
			m1 := w.addUser("judge-one", tip.RoleCommittee)
			m2 := w.addUser("judge-two", tip.RoleCommittee)
			w.submit("report", "", "")
			_, queue := analyst.get("/tips")
			id := tipLink.FindStringSubmatch(queue)[1]
			a, _ := recommendOn(t, analyst, id, "3000000")
			c, _ := recommendOn(t, analyst, id, "3000000")
			judge1 := w.login(m1)
			for _, rid := range []string{a, c} {
				if resp, _ := judge1.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("first approval: %d", resp.StatusCode)
				}
			}
			judge2 := w.login(m2)
			var wg sync.WaitGroup
			codes := make([]int, 2)
			for i, rid := range []string{a, c} {
				wg.Go(func() {
					resp, _ := judge2.post("/rewards/"+rid+"/approve", nil)
					codes[i] = resp.StatusCode
				})
			}
			wg.Wait()
			won := 0
			for _, code := range codes {
				if code == http.StatusSeeOther {
					won++
				} else if code != http.StatusConflict {
					t.Fatalf("a losing approval should be refused with 409, got %d", code)
				}
			}
			if won != 1 {
				t.Fatalf("exactly one racing approval may win, got %d (%v)", won, codes)
			}
			if problems, _, _ := reward.Verify(context.Background(), w.store); len(problems) != 0 {
				t.Fatalf("ledger: %v", problems)
			}
		})
	}
}

// A committee member records what was paid: a payment not worth exactly
// the approval is refused with a page saying why, and writes nothing; the
// reward page and oversight then show what was really paid.
func TestPaymentMustBeWorthItsApproval(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			w := newWorld(t, b)
			analyst := w.login(w.addUser("kim", tip.RoleAnalyst))
			judge1 := w.login(w.addUser("judge-one", tip.RoleCommittee))
			judge2 := w.login(w.addUser("judge-two", tip.RoleCommittee))
			w.submit("The tanker's cargo was seized after my report", "", "")
			_, queue := analyst.get("/tips")
			id := tipLink.FindStringSubmatch(queue)[1]
			rid, _ := recommendOn(t, analyst, id, "250000")
			for _, j := range []*browser{judge1, judge2} {
				if resp, _ := j.post("/rewards/"+rid+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("approval: %d", resp.StatusCode)
				}
			}
			if _, page := judge1.get("/rewards/" + rid); !strings.Contains(page, `name="usd_value"`) || !strings.Contains(page, "worth exactly the approved US$250,000") {
				t.Fatal("the payment form should ask for the value in US dollars and say the payment must equal the approval")
			}
			pay := func(amount, currency, method, usdValue string) (int, string) {
				resp, page := judge1.post("/rewards/"+rid+"/payments", url.Values{"amount": {amount}, "currency": {currency}, "method": {method},
					"usd_value": {usdValue}, "reference": {"TX-9"}, "paid_on": {"2025-03-10"}})
				return resp.StatusCode, page
			}
			for _, c := range []struct {
				amount, currency, method, usdValue string
				status                             int
				says                               string
			}{
				{"2500000", "USD", "bank", "", http.StatusConflict, "US$250,000 was approved, but the payment records 2500000 USD"},
				{"25000", "usd", "cash", "", http.StatusConflict, "the payment records 25000 USD"},
				{"250000", "USD", "bank", "2500000", http.StatusConflict, "its value is recorded as US$2,500,000"},
				{"250000", "EUR", "bank", "250000", http.StatusConflict, "a bank payment is made in USD, not EUR"},
				{"3.75", "XBT", "crypto", "", http.StatusBadRequest, "needs its value in whole US dollars"},
				{"3.75", "XBT", "crypto", "2,500,000", http.StatusConflict, "the 3.75 XBT paid are recorded as worth US$2,500,000"},
				{"many", "USD", "bank", "", http.StatusBadRequest, "amount paid must be a positive number"},
			} {
				status, page := pay(c.amount, c.currency, c.method, c.usdValue)
				if status != c.status || !strings.Contains(html.UnescapeString(page), c.says) {
					t.Fatalf("paying %s %s by %s (value %q): want %d saying %q, got %d\n%s", c.amount, c.currency, c.method, c.usdValue, c.status, c.says, status, page)
				}
			}
			if rw, _ := w.store.Reward(context.Background(), rid); rw.State() != tip.RewardApproved || len(rw.Ledger) != 2 {
				t.Fatalf("refused payments must write nothing: %s with %d entries", rw.State(), len(rw.Ledger))
			}
			entries, _ := w.store.ListAudit(context.Background(), storeFilter(id))
			for _, e := range entries {
				if e.Action == "reward.pay" {
					t.Fatalf("a refused payment was audited as made: %+v", e)
				}
			}
			if status, page := pay("3.75", "XBT", "crypto", "250,000"); status != http.StatusSeeOther {
				t.Fatalf("a crypto payment worth the approval: %d\n%s", status, page)
			}
			if _, page := judge2.get("/rewards/" + rid); !strings.Contains(page, "3.75 XBT, worth US$250,000 by crypto") {
				t.Fatalf("the ledger should show what was paid and its value:\n%s", page)
			}
			if _, page := judge2.get("/oversight"); !strings.Contains(page, "<td>US$250,000</td><td>3.75 XBT</td>") {
				t.Fatalf("oversight should show what was paid:\n%s", page)
			}
			if problems, _, err := reward.Verify(context.Background(), w.store); err != nil || len(problems) != 0 {
				t.Fatalf("the ledger should reconcile: %v %v", problems, err)
			}
		})
	}
}
