package desk

import (
	"context"
	"net/http"
	"slices"

	"tipline/internal/account"
	"tipline/internal/tip"
)

// anyone marks a route that needs no login; loggedIn one that any role may
// use.
var (
	anyone    = []tip.Role{"*"}
	loggedIn  = []tip.Role{tip.RoleAdmin, tip.RoleAnalyst, tip.RoleCommittee, tip.RoleAuditor}
	readers   = []tip.Role{tip.RoleAnalyst, tip.RoleCommittee}
	analysts  = []tip.Role{tip.RoleAnalyst}
	admins    = []tip.Role{tip.RoleAdmin}
	auditors  = []tip.Role{tip.RoleAuditor}
	members   = []tip.Role{tip.RoleCommittee}
	overseers = []tip.Role{tip.RoleCommittee, tip.RoleAuditor}
)

// Permissions is the desk's permission matrix: every route and the roles that
// may use it. A route missing here does not start (see guard); the table test
// walks every entry for every role and for an anonymous visitor.
var Permissions = map[string][]tip.Role{
	"GET /{$}":                                  loggedIn,
	"GET /login":                                anyone,
	"POST /login":                               anyone,
	"POST /logout":                              loggedIn,
	"GET /account/enrol":                        anyone, // checked by the pending-enrolment cookie
	"GET /account/totp.png":                     anyone, // idem
	"POST /account/enrol":                       anyone, // idem
	"GET /tips":                                 readers,
	"GET /tips/{id}":                            readers,
	"GET /tips/{id}/files/{blob}":               readers,
	"POST /tips/{id}/status":                    analysts,
	"POST /tips/{id}/messages":                  analysts,
	"POST /tips/{id}/notes":                     analysts,
	"POST /tips/{id}/assign":                    analysts,
	"POST /tips/{id}/labels":                    analysts,
	"POST /tips/{id}/grant":                     analysts,
	"POST /tips/{id}/export":                    analysts,
	"GET /admin/users":                          admins,
	"POST /admin/users/{id}/disable":            admins,
	"POST /admin/users/{id}/enable":             admins,
	"POST /admin/users/{id}/reset-totp":         admins,
	"POST /admin/users/{id}/end-sessions":       admins,
	"POST /tips/{id}/rewards":                   analysts,
	"GET /rewards":                              readers,
	"GET /rewards/{rid}":                        readers,
	"POST /rewards/{rid}/approve":               members,
	"POST /rewards/{rid}/deny":                  members,
	"POST /rewards/{rid}/payments":              members,
	"GET /oversight":                            overseers,
	"GET /oversight.csv":                        overseers,
	"GET /admin/settings":                       admins,
	"POST /admin/statuses":                      admins,
	"POST /admin/offers/{id}/recipients":        admins,
	"POST /admin/offers/{id}/recipients/remove": admins,
	"GET /admin/offers":                         admins,
	"GET /admin/offers/new":                     admins,
	"POST /admin/offers":                        admins,
	"GET /admin/offers/{id}/edit":               admins,
	"POST /admin/offers/{id}":                   admins,
	"POST /admin/ceiling":                       admins,
	"GET /audit":                                auditors,
	// WebAuthn (webauthn*.go): a user's own security keys, and the login
	// with one, whose later steps are checked by the pending-login cookie.
	"GET /account":                           loggedIn,
	"POST /account/webauthn/register/begin":  loggedIn,
	"POST /account/webauthn/register/finish": loggedIn,
	"POST /account/webauthn/{id}/remove":     loggedIn,
	"GET /login/webauthn":                    anyone,
	"POST /login/webauthn":                   anyone,
	"POST /login/webauthn/begin":             anyone,
	"POST /login/webauthn/finish":            anyone,
}

type sessionKey struct{}

// sessionOf returns the session guard put in the request's context.
func sessionOf(r *http.Request) *account.Session {
	s, _ := r.Context().Value(sessionKey{}).(*account.Session)
	return s
}

// guard enforces the permission matrix for one route.
func (s *Server) guard(pattern string, h http.HandlerFunc) http.Handler {
	roles, ok := Permissions[pattern]
	if !ok {
		panic("desk: route " + pattern + " is missing from the permission matrix")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Equal(roles, anyone) {
			h(w, r)
			return
		}
		sess, err := s.session(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !sess.User.TOTPEnrolled {
			// A session opened by password alone, after a reset, may
			// only enrol the new second factor.
			http.Redirect(w, r, "/account/enrol", http.StatusSeeOther)
			return
		}
		if !slices.ContainsFunc(roles, sess.User.Has) {
			s.fail(w, r, tip.Errorf(tip.CodeForbidden, "Your role does not allow this."))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}

type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes lists every desk route with its handler.
func routes(s *Server) []route {
	return []route{
		{"GET /{$}", s.home},
		{"GET /login", s.loginForm},
		{"POST /login", s.login},
		{"POST /logout", s.logout},
		{"GET /account/enrol", s.enrolForm},
		{"GET /account/totp.png", s.enrolQR},
		{"POST /account/enrol", s.enrol},
		{"GET /tips", s.queue},
		{"GET /tips/{id}", s.report},
		{"GET /tips/{id}/files/{blob}", s.file},
		{"POST /tips/{id}/status", s.setStatus},
		{"POST /tips/{id}/messages", s.message},
		{"POST /tips/{id}/notes", s.note},
		{"POST /tips/{id}/assign", s.assign},
		{"POST /tips/{id}/labels", s.labels},
		{"POST /tips/{id}/grant", s.grant},
		{"POST /tips/{id}/export", s.export},
		{"GET /admin/users", s.users},
		{"POST /admin/users/{id}/disable", s.disableUser},
		{"POST /admin/users/{id}/enable", s.enableUser},
		{"POST /admin/users/{id}/reset-totp", s.resetTOTP},
		{"POST /admin/users/{id}/end-sessions", s.endSessions},
		{"POST /tips/{id}/rewards", s.recommend},
		{"GET /rewards", s.rewards},
		{"GET /rewards/{rid}", s.rewardDetail},
		{"POST /rewards/{rid}/approve", s.approve},
		{"POST /rewards/{rid}/deny", s.deny},
		{"POST /rewards/{rid}/payments", s.pay},
		{"GET /oversight", s.oversight},
		{"GET /oversight.csv", s.oversightCSV},
		{"GET /admin/settings", s.settings},
		{"POST /admin/statuses", s.addStatus},
		{"POST /admin/offers/{id}/recipients", s.addRecipient},
		{"POST /admin/offers/{id}/recipients/remove", s.removeRecipient},
		{"GET /admin/offers", s.offersAdmin},
		{"GET /admin/offers/new", s.newOfferForm},
		{"POST /admin/offers", s.createOffer},
		{"GET /admin/offers/{id}/edit", s.editOfferForm},
		{"POST /admin/offers/{id}", s.updateOffer},
		{"POST /admin/ceiling", s.setCeiling},
		{"GET /audit", s.auditLog},
		// WebAuthn (webauthn*.go)
		{"GET /account", s.accountPage},
		{"POST /account/webauthn/register/begin", s.registerKeyBegin},
		{"POST /account/webauthn/register/finish", s.registerKeyFinish},
		{"POST /account/webauthn/{id}/remove", s.removeKey},
		{"GET /login/webauthn", s.keyLoginForm},
		{"POST /login/webauthn", s.keyLogin},
		{"POST /login/webauthn/begin", s.keyLoginBegin},
		{"POST /login/webauthn/finish", s.keyLoginFinish},
	}
}
