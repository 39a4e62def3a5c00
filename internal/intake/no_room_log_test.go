package intake_test

import (
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// A source turned away for want of disk room sees the 507 page; the operator,
// who may watch no metrics, reads it in the log — once, however many sources
// are turned away, so that a full disk does not fill the log too.
func TestNoRoomIsLoggedOnceForTheOperator(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{minFree: 1 << 62}) // more than any disk has
	for range 3 {
		resp, page := s.client(t).postMultipart("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}})
		if resp.StatusCode != http.StatusInsufficientStorage || strings.Contains(page, `id="receipt"`) {
			t.Fatalf("a report with no room for it: %d, receipt shown: %v", resp.StatusCode, strings.Contains(page, `id="receipt"`))
		}
	}
	logs := s.logs.String()
	if n := strings.Count(logs, "reports are refused"); n != 1 {
		t.Fatalf("three refusals for want of room logged %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "--min-free") {
		t.Fatalf("the log line should be a warning that says what to do:\n%s", logs)
	}
}
