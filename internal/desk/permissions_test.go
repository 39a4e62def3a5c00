package desk_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"tipline/internal/desk"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// Every desk route, for every role and for an anonymous visitor: a role the
// matrix allows gets past the guard; any other role gets 403; an anonymous
// visitor is sent to the login page.
func TestPermissionMatrix(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	users := map[tip.Role]user{}
	for _, r := range tip.Roles {
		users[r] = w.addUser("user-"+string(r), r)
	}
	w.submit("report for the matrix", "f.txt", "file")
	analyst := w.login(users[tip.RoleAnalyst])
	_, queue := analyst.get("/tips")
	tipID := tipLink.FindStringSubmatch(queue)[1]
	_, page := analyst.get("/tips/" + tipID)
	blobID := strings.TrimPrefix(fileLink.FindStringSubmatch(page)[1], "/tips/"+tipID+"/files/")
	// Admin actions (disable, end sessions) act on a bystander, not on the
	// users walking the matrix.
	bystander := w.addUser("bystander", tip.RoleAnalyst)
	u, _, _ := w.store.UserByName(t.Context(), bystander.name)
	expand := strings.NewReplacer("{id}", tipID, "{blob}", blobID, "{$}", "")
	for pattern, allowed := range desk.Permissions {
		method, path, _ := strings.Cut(pattern, " ")
		path = expand.Replace(path)
		if strings.HasPrefix(path, "/admin/users/") {
			path = strings.Replace(path, tipID, u.ID, 1)
		}
		public := slices.Contains(allowed, "*")
		t.Run(pattern, func(t *testing.T) {
			resp := request(t, w.browser(w.deskURL), method, path)
			if !public && (resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login") {
				t.Errorf("anonymous: got %d %s, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
			}
			for _, r := range tip.Roles {
				// A fresh login per route: some routes (log out) end it.
				resp := request(t, w.login(users[r]), method, path)
				if public {
					// Public routes do their own checks (the enrolment
					// cookie); the guard must only never refuse them.
					if resp.StatusCode == http.StatusForbidden {
						t.Errorf("%s: a public route answered 403", r)
					}
					continue
				}
				refused := resp.StatusCode == http.StatusForbidden || resp.Header.Get("Location") == "/login"
				if want := slices.Contains(allowed, r); want == refused {
					t.Errorf("%s: got %d, allowed=%v", r, resp.StatusCode, want)
				}
			}
		})
	}
}

func request(t *testing.T, b *browser, method, path string) *http.Response {
	t.Helper()
	if method == "POST" {
		// A harmless body: actions that need fields answer 400, which is
		// past the guard.
		resp, _ := b.post(path, url.Values{"noop": {"1"}})
		return resp
	}
	resp, _ := b.get(path)
	return resp
}
