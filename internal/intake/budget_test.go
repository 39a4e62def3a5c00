package intake_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

var validReport = form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}}

// Budgets are off by default; when set, a spent budget answers 503 with a
// page asking the source to come back, and keeps nothing.
func TestSubmissionBudgets(t *testing.T) {
	t.Run("per minute", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{perMinute: 2})
		c := s.client(t)
		c.submit("/submit", validReport)
		c.submit("/submit", validReport)
		resp, page := c.postMultipart("/submit", validReport)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "wait a minute") {
			t.Fatalf("a third submission in a minute: want 503 asking to wait, got %d", resp.StatusCode)
		}
		if n := storetest.TipCount(t, s.store); n != 2 {
			t.Fatalf("%d tips stored", n)
		}
	})
	t.Run("storage quota", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{quota: 40 << 10})
		c := s.client(t)
		c.submit("/submit", validReport) // far under the quota
		before := storedBytes(t, s)
		resp, page := c.postMultipart("/submit", form{fields: validReport.fields, files: [][2]string{{"big.txt", strings.Repeat("x", 40<<10)}}})
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "cannot store") {
			t.Fatalf("a report past the quota: want 503 saying the store is full, got %d\n%s", resp.StatusCode, page)
		}
		if after := storedBytes(t, s); after != before {
			t.Fatalf("a refused report left %d bytes stored", after-before)
		}
		c.submit("/submit", validReport) // what fits is still taken
	})
	t.Run("off by default", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{})
		c := s.client(t)
		for range 5 {
			c.submit("/submit", validReport)
		}
	})
}

// A source's messages write data too: they are under the same budgets as
// reports. One receipt must not upload past the storage quota, nor past the
// per-minute budget, by replying with files.
func TestMessagesAreUnderTheBudgets(t *testing.T) {
	t.Run("storage quota", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{quota: 64 << 10})
		c := s.client(t)
		c.login(c.submit("/submit", validReport))
		reply := form{fields: [][2]string{{"message", "the manifest"}}, files: [][2]string{{"manifest.txt", strings.Repeat("x", 20<<10)}}}
		for i := range 2 { // about 40 KiB sealed, and the report: under the quota
			if resp, page := c.postMultipart("/status/messages", reply); resp.StatusCode != http.StatusOK {
				t.Fatalf("reply %d under the quota: %d\n%s", i, resp.StatusCode, page)
			}
		}
		before := storedBytes(t, s)
		for i := range 3 {
			resp, page := c.postMultipart("/status/messages", reply)
			if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "cannot store") {
				t.Fatalf("reply %d past the quota: want 503 saying the store is full, got %d", i, resp.StatusCode)
			}
		}
		if after := storedBytes(t, s); after != before {
			t.Fatalf("refused replies left %d bytes stored", after-before)
		}
		if before > 64<<10 {
			t.Fatalf("%d bytes stored past a quota of %d", before, 64<<10)
		}
	})
	t.Run("per minute", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{perMinute: 3})
		c := s.client(t)
		c.login(c.submit("/submit", validReport))
		for range 2 {
			if resp, _ := c.postMultipart("/status/messages", form{fields: [][2]string{{"message", "more"}}}); resp.StatusCode != http.StatusOK {
				t.Fatalf("a reply within the budget: %d", resp.StatusCode)
			}
		}
		resp, page := c.postMultipart("/status/messages", form{fields: [][2]string{{"message", "more"}}})
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "wait a minute") {
			t.Fatalf("a fourth write in a minute: want 503, got %d", resp.StatusCode)
		}
		if resp, _ := s.client(t).postMultipart("/submit", validReport); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("a report after the replies spent the budget: want 503, got %d", resp.StatusCode)
		}
	})
}

// Requests that store nothing spend nothing: a flood of posts that are not a
// form, of forms with problems and of refused files must not lock sources
// out of a budget of three.
func TestRefusedRequestsSpendNoBudget(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{perMinute: 3, quota: 1 << 20})
	c := s.client(t)
	rcpt := c.submit("/submit", validReport)
	refused := []struct {
		name, path, body, contentType string
		f                             *form
		want                          int
	}{
		{name: "text/plain", path: "/submit", body: "category=oil&message=m", contentType: "text/plain", want: http.StatusBadRequest},
		{name: "urlencoded", path: "/submit", body: "category=oil&message=m", contentType: "application/x-www-form-urlencoded", want: http.StatusBadRequest},
		{name: "no category", path: "/submit", f: &form{fields: [][2]string{{"message", "m"}}}, want: http.StatusUnprocessableEntity},
		{name: "no message", path: "/submit", f: &form{fields: [][2]string{{"category", "oil"}}}, want: http.StatusUnprocessableEntity},
		{name: "a file refused", path: "/submit", f: &form{fields: validReport.fields, files: [][2]string{{"tool.exe", "MZ\x90\x00\x03binary"}}}, want: http.StatusUnprocessableEntity},
		{name: "an empty reply", path: "/status/messages", f: &form{fields: [][2]string{{"message", " "}}}, want: http.StatusUnprocessableEntity},
		{name: "a reply's file refused", path: "/status/messages", f: &form{files: [][2]string{{"tool.exe", "MZ\x90\x00\x03binary"}}}, want: http.StatusUnprocessableEntity},
	}
	c.login(rcpt)
	for round := range 3 {
		for _, r := range refused {
			var resp *http.Response
			if r.f != nil {
				resp, _ = c.postMultipart(r.path, *r.f)
			} else {
				resp, _ = c.do("POST", r.path, strings.NewReader(r.body), r.contentType)
			}
			if resp.StatusCode != r.want {
				t.Fatalf("round %d, %s: want %d, got %d", round, r.name, r.want, resp.StatusCode)
			}
		}
	}
	// The report above spent one of three: two more fit.
	s.client(t).submit("/submit", validReport)
	if resp, page := c.postMultipart("/status/messages", form{fields: [][2]string{{"message", "fits"}}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("a reply after refused requests: %d\n%s", resp.StatusCode, page)
	}
}

// Logging in over and over with one receipt keeps at most a few sessions:
// each is a row, and the oldest give way.
func TestSessionsOfOneReceiptAreBounded(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			rcpt := s.client(t).submit("/submit", validReport)
			var clients []*client
			for range 20 {
				c := s.client(t)
				c.login(rcpt)
				clients = append(clients, c)
			}
			live := 0
			for _, c := range clients {
				if _, page := c.get("/status"); strings.Contains(page, `id="status"`) {
					live++
				}
			}
			if _, page := clients[len(clients)-1].get("/status"); !strings.Contains(page, `id="status"`) {
				t.Fatal("the newest session was ended")
			}
			if live > 8 {
				t.Fatalf("%d sessions of one receipt are live", live)
			}
		})
	}
}

// login opens the report behind a receipt, with a session cookie.
func (c *client) login(rcpt string) {
	c.t.Helper()
	if resp, page := c.postForm("/status", map[string]string{"receipt": rcpt}); resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="status"`) {
		c.t.Fatalf("receipt login: %d", resp.StatusCode)
	}
}

func storedBytes(t *testing.T, s *site) int64 {
	t.Helper()
	n, err := s.store.StoredBytes(context.Background())
	if err != nil {
		t.Fatal(fmt.Errorf("stored bytes: %w", err))
	}
	return n
}
