package intake_test

import (
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// No page of the source site may be kept in a browser's or a proxy's cache:
// several repeat what the source wrote (a form sent back with its problems,
// the status page, a reply refused), and a cached copy outlives the visit.
// Only the style sheet may be cached.
func TestSourcePagesAreNeverCached(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	const written = "ZQX-the-source-wrote-this"
	noStore := func(name string, resp *http.Response, page string, echoes bool) {
		t.Helper()
		if echoes && !strings.Contains(page, written) {
			t.Fatalf("%s: expected the page to repeat the source's text (%d)", name, resp.StatusCode)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s (%d) may be cached: Cache-Control %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}

	// The form sent back with a problem (no category) repeats the message.
	resp, page := c.postMultipart("/submit", form{fields: [][2]string{{"message", written}}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a report without a category: want 422, got %d", resp.StatusCode)
	}
	noStore("the submit form sent back", resp, page, true)
	resp, page = c.postMultipart("/ko/submit", form{fields: [][2]string{{"message", written}}})
	noStore("the Korean submit form sent back", resp, page, true)

	rcpt := c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", written}}})
	resp, page = c.postForm("/status", map[string]string{"receipt": rcpt})
	noStore("the status page after a login", resp, page, true)
	// A reply refused (too long) shows the status page again, with the report.
	resp, page = c.postMultipart("/status/messages", form{fields: [][2]string{{"message", strings.Repeat("x", 100_001)}}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an overlong reply: want 422, got %d", resp.StatusCode)
	}
	noStore("the status page after a refused reply", resp, page, true)

	for _, p := range []string{"/", "/ko/", "/submit", "/status", "/offers/" + s.offerID, "/no-such-page"} {
		resp, page := c.get(p)
		noStore("GET "+p, resp, page, false)
	}
	resp, page = c.postForm("/status", map[string]string{"receipt": "not a receipt"})
	noStore("a refused receipt", resp, page, false)

	if resp, _ := c.get("/static/style.css"); resp.StatusCode == http.StatusOK && resp.Header.Get("Cache-Control") == "no-store" {
		t.Error("the style sheet need not be refetched on every page")
	}
}
