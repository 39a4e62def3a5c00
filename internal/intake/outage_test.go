package intake_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/web"
)

// While PostgreSQL cannot be reached, a source gets the 503 page in their
// language within seconds — not a 500, not a hang, not a receipt — and once
// it can be reached again the same server takes reports, without a restart.
// The database is cut off by a proxy between the site and PostgreSQL: its
// listener closed and every connection through it dropped, as when the
// server stops.
func TestDatabaseOutageAnswers503InTheSourcesLanguage(t *testing.T) {
	pg := storetest.Postgres(t)
	direct, err := store.Open(context.Background(), pg.DataDir, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	proxy := storetest.StartProxy(t, pg.DSN)
	proxied := pg
	proxied.DSN = proxy.DSN
	s := newSite(t, proxied, siteOptions{})
	c := s.client(t)
	before := c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "before the outage"}}})

	proxy.Cut()
	catalogs, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	tips := storetest.TipCount(t, direct)
	for _, lang := range web.Languages {
		want := html.EscapeString(catalogs.For(lang.Code).T("error_unavailable"))
		start := time.Now()
		resp, page := c.postMultipart(lang.Prefix+"/submit", form{
			fields: [][2]string{{"category", "oil"}, {"message", "during the outage"}},
			files:  [][2]string{{"log.txt", strings.Repeat("evidence\n", 1000)}},
		})
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s: the submission took %v to be answered", lang.Code, took)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, want) || receiptOf(page) != "" {
			t.Fatalf("%s: submitting while the database is cut off: %d, want 503 saying %q\n%s", lang.Code, resp.StatusCode, want, page)
		}
		resp, page = c.postForm(lang.Prefix+"/status", map[string]string{"receipt": before})
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, want) {
			t.Fatalf("%s: a receipt while the database is cut off: %d, want 503\n%s", lang.Code, resp.StatusCode, page)
		}
	}
	if n := storetest.TipCount(t, direct); n != tips {
		t.Fatalf("%d tips stored during the outage", n-tips)
	}
	if strings.Contains(s.logs.String(), "level=ERROR") {
		t.Errorf("the outage was logged as an internal error:\n%s", s.logs.String())
	}

	proxy.Restore()
	after := c.submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "after the outage"}}})
	for receipt, text := range map[string]string{before: "before the outage", after: "after the outage"} {
		resp, page := s.client(t).postForm("/status", map[string]string{"receipt": receipt})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, text) {
			t.Fatalf("receipt after the outage: %d\n%s", resp.StatusCode, page)
		}
	}
}

// A database that stops answering without closing its connections (the
// network between them drops every packet) holds a report's commit no longer
// than the commit's patience: the source is told it is unavailable, gets no
// receipt, and reports are taken again once it answers.
func TestStalledDatabaseAnswers503AfterTheCommitsPatience(t *testing.T) {
	pg := storetest.Postgres(t)
	proxy := storetest.StartProxy(t, pg.DSN)
	pg.DSN = proxy.DSN
	s := newSite(t, pg, siteOptions{commitPatience: time.Second})
	c := s.client(t)
	report := form{fields: [][2]string{{"category", "oil"}, {"message", "a report"}}}
	c.submit("/submit", report)

	proxy.Stall()
	start := time.Now()
	resp, page := c.postMultipart("/submit", report)
	took := time.Since(start)
	if resp.StatusCode != http.StatusServiceUnavailable || receiptOf(page) != "" {
		t.Fatalf("submitting while the database is stalled: %d\n%s", resp.StatusCode, page)
	}
	if took > 5*time.Second {
		t.Fatalf("the answer took %v with a commit patience of 1s", took)
	}
	proxy.Unstall()
	c.submit("/submit", report)
}

// A stalled database holds a source who reads no longer than the store's
// patience either: the status page of a receipt logged in before, and a
// receipt's login, are answered 503, never left hanging.
func TestStalledDatabaseAnswers503ToTheStatusPage(t *testing.T) {
	pg := storetest.Postgres(t)
	proxy := storetest.StartProxy(t, pg.DSN)
	pg.DSN = proxy.DSN
	s := newSite(t, pg, siteOptions{})
	s.store.SetPatience(time.Second)
	// A request still held when the test fails lets the server close.
	t.Cleanup(proxy.Cut)
	receipt := s.client(t).submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "a report"}}})
	c := s.client(t)
	c.login(receipt)

	proxy.Stall()
	for name, send := range map[string]func() (*http.Response, string){
		"the status page": func() (*http.Response, string) { return c.get("/status") },
		"a receipt's login": func() (*http.Response, string) {
			return s.client(t).postForm("/status", map[string]string{"receipt": receipt})
		},
	} {
		resp, page := answeredWithin(t, 5*time.Second, send)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s while the database is stalled: %d, want 503\n%s", name, resp.StatusCode, page)
		}
	}
	proxy.Unstall()
	if resp, page := c.get("/status"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "a report") {
		t.Fatalf("the status page once the database answers: %d\n%s", resp.StatusCode, page)
	}
}

// answeredWithin sends a request and fails the test if it is not answered
// within limit, rather than hang with it.
func answeredWithin(t *testing.T, limit time.Duration, send func() (*http.Response, string)) (*http.Response, string) {
	t.Helper()
	type answer struct {
		resp *http.Response
		page string
	}
	done := make(chan answer, 1)
	go func() {
		resp, page := send()
		done <- answer{resp, page}
	}()
	select {
	case a := <-done:
		return a.resp, a.page
	case <-time.After(limit):
		t.Fatalf("no answer within %v", limit)
		return nil, ""
	}
}
