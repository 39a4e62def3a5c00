package intake_test

import (
	"net/http"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
	"tipline/internal/visible"
)

// A file name with a right-to-left override ("invoice\u202Etxt.exe", which
// reads as "invoiceexe.txt") or another character that hides or reorders text
// is sealed with that character escaped, so that every page shows the name it
// really has; the confirmation and status pages say so too.
func TestFileNamesKeepNoHiddenCharacters(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	c := s.client(t)
	resp, page := c.postMultipart("/submit", form{
		fields: [][2]string{{"category", "front_companies"}, {"message", "the invoice"}},
		files:  [][2]string{{"invoice\u202Etxt.exe\u200B", "total: 12 crates"}},
	})
	const want = `invoice\u202Etxt.exe\u200B`
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) || strings.ContainsAny(page, "\u202E\u200B") {
		t.Fatalf("the confirmation should show the name escaped (%d):\n%s", resp.StatusCode, page)
	}
	rcpt := receiptOf(page)
	if file, _ := s.openFirstFile(t, rcpt); file.Name != want || visible.Hidden(file.Name) {
		t.Fatalf("sealed name %q, want %q", file.Name, want)
	}
	_, status := c.postForm("/status", map[string]string{"receipt": rcpt})
	if !strings.Contains(status, want) || strings.ContainsAny(status, "\u202E\u200B") {
		t.Fatalf("the status page should show the name escaped:\n%s", status)
	}
}
