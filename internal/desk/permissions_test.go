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

// Who may use each desk route, written out here on its own rather than read
// from the code: the test holds the server's routes to it. "public" routes
// need no login (their handlers check their own cookies).
const (
	public    = "public"
	anyRole   = "admin analyst committee auditor"
	analyst   = "analyst"
	readers   = "analyst committee"
	admin     = "admin"
	committee = "committee"
	auditor   = "auditor"
	overseers = "committee auditor"
)

var expectedMatrix = map[string]string{
	"GET /{$}":                                  anyRole,
	"GET /login":                                public,
	"POST /login":                               public,
	"POST /logout":                              anyRole,
	"GET /account/enrol":                        public,
	"GET /account/totp.png":                     public,
	"POST /account/enrol":                       public,
	"GET /tips":                                 readers,
	"GET /tips/{id}":                            readers,
	"GET /tips/{id}/files/{blob}":               readers,
	"POST /tips/{id}/status":                    analyst,
	"POST /tips/{id}/messages":                  analyst,
	"POST /tips/{id}/notes":                     analyst,
	"POST /tips/{id}/assign":                    analyst,
	"POST /tips/{id}/labels":                    analyst,
	"POST /tips/{id}/grant":                     analyst,
	"POST /tips/{id}/export":                    analyst,
	"POST /tips/{id}/rewards":                   analyst,
	"GET /rewards":                              readers,
	"GET /rewards/{rid}":                        readers,
	"POST /rewards/{rid}/approve":               committee,
	"POST /rewards/{rid}/deny":                  committee,
	"POST /rewards/{rid}/payments":              committee,
	"POST /rewards/{rid}/share":                 analyst,
	"GET /oversight":                            overseers,
	"GET /oversight.csv":                        overseers,
	"GET /admin/users":                          admin,
	"POST /admin/users/{id}/disable":            admin,
	"POST /admin/users/{id}/enable":             admin,
	"POST /admin/users/{id}/reset-totp":         admin,
	"POST /admin/users/{id}/end-sessions":       admin,
	"POST /admin/users/{id}/remove":             admin,
	"POST /admin/users/{id}/reset-passphrase":   admin,
	"POST /admin/users":                         admin,
	"POST /admin/invitations/{id}/withdraw":     admin,
	"GET /account/activate":                     public,
	"GET /account/activate.png":                 public,
	"POST /account/activate":                    public,
	"GET /admin/settings":                       admin,
	"POST /admin/statuses":                      admin,
	"POST /admin/offers/{id}/recipients":        admin,
	"POST /admin/offers/{id}/recipients/remove": admin,
	"GET /admin/offers":                         admin,
	"GET /admin/offers/new":                     admin,
	"POST /admin/offers":                        admin,
	"GET /admin/offers/{id}/edit":               admin,
	"POST /admin/offers/{id}":                   admin,
	"POST /admin/ceiling":                       admin,
	"GET /audit":                                auditor,
	"GET /account":                              anyRole,
	"POST /account/email":                       anyRole,
	"POST /account/webauthn/register/begin":     anyRole,
	"POST /account/webauthn/register/finish":    anyRole,
	"POST /account/webauthn/{id}/remove":        anyRole,
	"GET /login/webauthn":                       public,
	"POST /login/webauthn":                      public,
	"POST /login/webauthn/begin":                public,
	"POST /login/webauthn/finish":               public,
}

// The server serves exactly the routes of the matrix above, each with the
// roles written there.
func TestRoutesMatchTheMatrix(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	served := desk.RouteRoles(w.desk)
	for pattern, roles := range served {
		want, ok := expectedMatrix[pattern]
		if !ok {
			t.Errorf("%s is served but not in the expected matrix", pattern)
			continue
		}
		var got []string
		for _, r := range roles {
			if r == "*" {
				got = append(got, public)
			} else {
				got = append(got, string(r))
			}
		}
		slices.Sort(got)
		wantRoles := strings.Fields(want)
		slices.Sort(wantRoles)
		if !slices.Equal(got, wantRoles) {
			t.Errorf("%s: served for %v, want %v", pattern, got, wantRoles)
		}
	}
	for pattern := range expectedMatrix {
		if _, ok := served[pattern]; !ok {
			t.Errorf("%s is in the expected matrix but not served", pattern)
		}
	}
}

// Every route, for every role and for an anonymous visitor, against the
// running desk: a role the matrix allows gets past the guard; any other
// role gets 403; an anonymous visitor is sent to the login page.
func TestPermissionMatrix(t *testing.T) {
	w := newWorld(t, storetest.Backends(t)[0])
	users := map[tip.Role]user{}
	for _, r := range tip.Roles {
		users[r] = w.addUser("user-"+string(r), r)
	}
	w.submit("report for the matrix", "f.txt", "file")
	analystSession := w.login(users[tip.RoleAnalyst])
	_, queue := analystSession.get("/tips")
	tipID := tipLink.FindStringSubmatch(queue)[1]
	_, page := analystSession.get("/tips/" + tipID)
	blobID := strings.TrimPrefix(fileLink.FindStringSubmatch(page)[1], "/tips/"+tipID+"/files/")
	rewardID, _ := recommendOn(t, analystSession, tipID, "1000")
	if rewardID == "" {
		t.Fatal("no reward to walk the reward routes with")
	}
	offers, _ := w.store.Offers(t.Context())
	// Admin actions (disable, end sessions) act on a bystander, not on the
	// users walking the matrix.
	bystander := w.addUser("bystander", tip.RoleAnalyst)
	u, _, _ := w.store.UserByName(t.Context(), bystander.name)

	for pattern, allowed := range expectedMatrix {
		method, path, _ := strings.Cut(pattern, " ")
		id := tipID
		switch {
		case strings.HasPrefix(path, "/admin/users/"):
			id = u.ID
		case strings.HasPrefix(path, "/admin/offers/"):
			id = offers[0].ID
		}
		path = strings.NewReplacer("{id}", id, "{blob}", blobID, "{rid}", rewardID, "{$}", "").Replace(path)
		t.Run(pattern, func(t *testing.T) {
			resp := request(t, w.browser(w.deskURL), method, path)
			if allowed != public && (resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login") {
				t.Errorf("anonymous: got %d %s, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
			}
			for _, r := range tip.Roles {
				// A fresh login per route: some routes (log out) end it.
				resp := request(t, w.login(users[r]), method, path)
				if allowed == public {
					// The guard must never refuse a public route.
					if resp.StatusCode == http.StatusForbidden {
						t.Errorf("%s: a public route answered 403", r)
					}
					continue
				}
				refused := resp.StatusCode == http.StatusForbidden || resp.Header.Get("Location") == "/login"
				if want := slices.Contains(strings.Fields(allowed), string(r)); want == refused {
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
