package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// While PostgreSQL cannot be reached, the desk answers 503 saying so — a
// logged-in page and a login alike, never a 500 — and works again, without a
// restart, once it can.
func TestDatabaseOutageAnswers503OnTheDesk(t *testing.T) {
	pg := storetest.Postgres(t)
	proxy := storetest.StartProxy(t, pg.DSN)
	pg.DSN = proxy.DSN
	w := newWorld(t, pg)
	analyst := w.addUser("ana", tip.RoleAnalyst)
	w.submit("a report before the outage", "", "")
	b := w.login(analyst)

	proxy.Cut()
	code, _ := totp.GenerateCode(analyst.secret, w.now)
	for name, send := range map[string]func() (*http.Response, string){
		"the queue": func() (*http.Response, string) { return b.get("/tips") },
		"a login": func() (*http.Response, string) {
			return w.browser(w.deskURL).post("/login", url.Values{"name": {analyst.name}, "password": {analyst.password}, "code": {code}})
		},
	} {
		start := time.Now()
		resp, page := send()
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s took %v to be answered", name, took)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "The database does not answer") {
			t.Fatalf("%s while the database is cut off: %d, want 503\n%s", name, resp.StatusCode, page)
		}
	}

	proxy.Restore()
	if resp, page := b.get("/tips"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "/tips/") {
		t.Fatalf("the queue after the outage: %d\n%s", resp.StatusCode, page)
	}
}

// A database that keeps its connections open and never answers holds a desk
// page no longer than the store's patience: the queue is answered 503.
func TestStalledDatabaseAnswers503OnTheDesk(t *testing.T) {
	pg := storetest.Postgres(t)
	proxy := storetest.StartProxy(t, pg.DSN)
	pg.DSN = proxy.DSN
	w := newWorld(t, pg)
	w.store.SetPatience(time.Second)
	// A request still held when the test fails lets the server close.
	t.Cleanup(proxy.Cut)
	analyst := w.addUser("ana", tip.RoleAnalyst)
	w.submit("a report before the stall", "", "")
	b := w.login(analyst)

	proxy.Stall()
	done := make(chan int, 1)
	go func() {
		resp, page := b.get("/tips")
		if !strings.Contains(page, "The database does not answer") {
			t.Errorf("the queue while stalled does not say the database does not answer:\n%s", page)
		}
		done <- resp.StatusCode
	}()
	select {
	case code := <-done:
		if code != http.StatusServiceUnavailable {
			t.Fatalf("the queue while the database is stalled: %d, want 503", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the queue was not answered within 5 s with a patience of 1 s")
	}
	proxy.Unstall()
	if resp, page := b.get("/tips"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "/tips/") {
		t.Fatalf("the queue once the database answers: %d\n%s", resp.StatusCode, page)
	}
}
