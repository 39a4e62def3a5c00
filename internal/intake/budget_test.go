package intake_test

import (
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// Budgets are off by default; when set, a spent budget answers 503 with a
// page asking the source to come back, and keeps nothing.
func TestSubmissionBudgets(t *testing.T) {
	report := form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}}
	t.Run("per minute", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{perMinute: 2})
		c := s.client(t)
		c.submit("/submit", report)
		c.submit("/submit", report)
		resp, page := c.postMultipart("/submit", report)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "wait a minute") {
			t.Fatalf("a third submission in a minute: want 503 asking to wait, got %d", resp.StatusCode)
		}
		if n, _ := s.store.CountTips(t.Context()); n != 2 {
			t.Fatalf("%d tips stored", n)
		}
	})
	t.Run("storage quota", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{quota: 1})
		c := s.client(t)
		c.submit("/submit", report) // the store is empty: under the quota
		if resp, _ := c.postMultipart("/submit", report); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("a full store: want 503, got %d", resp.StatusCode)
		}
	})
	t.Run("off by default", func(t *testing.T) {
		s := newSite(t, storetest.Backends(t)[0], siteOptions{})
		c := s.client(t)
		for range 5 {
			c.submit("/submit", report)
		}
	})
}
