package desk_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// A source reports; an analyst logs in with password and TOTP, reads the
// report and its file, replies and changes the status; the source sees both
// — and only the public state; an admin and an auditor are refused the
// content; the audit log verifies.
func TestAnalystWorksAReport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			w := newWorld(t, b)
			analyst := w.addUser("kim", tip.RoleAnalyst)
			admin := w.addUser("root", tip.RoleAdmin)
			auditor := w.addUser("oversight", tip.RoleAuditor)
			receipt := w.submit("Two tankers alongside off Nampo at 03:10", "bridge-log.txt", "03:10 hoses connected")

			kim := w.login(analyst)
			_, queue := kim.get("/tips")
			m := tipLink.FindStringSubmatch(queue)
			if m == nil {
				t.Fatalf("queue lists no report:\n%s", queue)
			}
			id := m[1]
			resp, page := kim.get("/tips/" + id)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Two tankers alongside off Nampo") || !strings.Contains(page, `<select id="status" name="status">`) {
				t.Fatalf("report page (%d) lacks the text or the status select:\n%s", resp.StatusCode, page)
			}
			if resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Fatal("desk pages must not be cached and must forbid framing")
			}
			fl := fileLink.FindStringSubmatch(page)
			if fl == nil {
				t.Fatal("no file link on the report page")
			}
			resp, body := kim.get(fl[1])
			if body != "03:10 hoses connected" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
				strings.Contains(resp.Header.Get("Content-Type"), "html") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("file download wrong: %q %v", body, resp.Header)
			}

			if resp, _ := kim.post("/tips/"+id+"/messages", url.Values{"message": {"Which port did the second tanker leave from?"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("message: %d", resp.StatusCode)
			}
			if resp, _ := kim.post("/tips/"+id+"/status", url.Values{"status": {"referred"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status: %d", resp.StatusCode)
			}
			if resp, _ := kim.post("/tips/"+id+"/status", url.Values{"status": {"made_up"}}); resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("an unknown status must be refused, got %d", resp.StatusCode)
			}

			source := w.browser(w.source)
			_, status := source.post("/status", url.Values{"receipt": {receipt}})
			if !strings.Contains(status, "Which port did the second tanker leave from?") || !strings.Contains(status, `id="status">under review<`) || strings.Contains(status, "referred") {
				t.Fatalf("the source should see the reply and 'under review', never 'referred':\n%s", status)
			}

			for _, u := range []user{admin, auditor} {
				other := w.login(u)
				if resp, page := other.get("/tips/" + id); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "Two tankers") {
					t.Fatalf("%s must be refused the report, got %d", u.name, resp.StatusCode)
				}
				if resp, _ := other.get(fl[1]); resp.StatusCode != http.StatusForbidden {
					t.Fatalf("%s must be refused the file, got %d", u.name, resp.StatusCode)
				}
			}

			rep, err := w.audit.Verify(context.Background(), "")
			if err != nil {
				t.Fatalf("audit log does not verify: %v (%+v)", err, rep)
			}
			entries, _ := w.store.ListAudit(context.Background(), storeFilter(id))
			actions := map[string]bool{}
			for _, e := range entries {
				actions[e.Action] = true
			}
			for _, want := range []string{"tip.read", "tip.file", "tip.message", "tip.status"} {
				if !actions[want] {
					t.Errorf("audit log lacks %s for the report", want)
				}
			}
		})
	}
}

// A wrong code, a replayed code and a wrong password are all refused with the
// same message; a disabled user cannot log in.
func TestLoginNeedsPasswordAndAFreshCode(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	u := w.addUser("lee", tip.RoleAnalyst)
	b := w.browser(w.deskURL)
	code, _ := totp.GenerateCode(u.secret, w.now)
	try := func(pw, code string) int {
		resp, _ := b.post("/login", url.Values{"name": {u.name}, "password": {pw}, "code": {code}})
		return resp.StatusCode
	}
	if got := try("wrong password, long enough", code); got != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", got)
	}
	if got := try(u.password, "000000"); got != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", got)
	}
	if got := try(u.password, code); got != http.StatusSeeOther {
		t.Fatalf("a correct login after failures must succeed (slowed, never refused): %d", got)
	}
	if got := try(u.password, code); got != http.StatusUnauthorized {
		t.Fatalf("a code must not be accepted twice: %d", got)
	}
}
