package desk

import (
	"context"
	"net/http"
	"slices"

	"tipline/internal/account"
	"tipline/internal/tip"
)

// The roles of the desk's routes: anyone marks a route that needs no login
// (the login pages; the enrolment and security-key login pages check their
// own cookies); loggedIn one that any role may use.
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

type sessionKey struct{}

// sessionOf returns the session guard put in the request's context.
func sessionOf(r *http.Request) *account.Session {
	s, _ := r.Context().Value(sessionKey{}).(*account.Session)
	return s
}

// guard enforces a route's roles: a route open to anyone runs as it is;
// any other needs a desk session of a user with one of the roles.
func (s *Server) guard(roles []tip.Role, h http.HandlerFunc) http.Handler {
	if len(roles) == 0 {
		panic("desk: a route with no roles")
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
		if !slices.ContainsFunc(roles, sess.User.Has) {
			s.fail(w, r, tip.Errorf(tip.CodeForbidden, "Your role does not allow this."))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}

// route is one desk route: its pattern, the roles that may use it, and its
// handler.
type route struct {
	pattern string
	roles   []tip.Role
	handler http.HandlerFunc
}

// routes is the desk's permission matrix: every route with its roles and
// handler, declared once. The matrix test checks it against the roles
// written out independently and walks every route for every role.
func (s *Server) routes() []route {
	return []route{
		{"GET /{$}", loggedIn, s.home},
		{"GET /login", anyone, s.loginForm},
		{"POST /login", anyone, s.login},
		{"POST /logout", loggedIn, s.logout},
		{"GET /account/enrol", anyone, s.enrolForm},  // the enrolment session is checked by the handler
		{"GET /account/totp.png", anyone, s.enrolQR}, // idem
		{"POST /account/enrol", anyone, s.enrol},     // idem
		{"GET /tips", readers, s.queue},
		{"GET /tips/{id}", readers, s.report},
		{"GET /tips/{id}/files/{blob}", readers, s.file},
		{"POST /tips/{id}/status", analysts, s.setStatus},
		{"POST /tips/{id}/messages", analysts, s.message},
		{"POST /tips/{id}/notes", analysts, s.note},
		{"POST /tips/{id}/assign", analysts, s.assign},
		{"POST /tips/{id}/labels", analysts, s.labels},
		{"POST /tips/{id}/grant", analysts, s.grant},
		{"POST /tips/{id}/export", analysts, s.export},
		{"GET /admin/users", admins, s.users},
		{"POST /admin/users/{id}/disable", admins, s.disableUser},
		{"POST /admin/users/{id}/enable", admins, s.enableUser},
		{"POST /admin/users/{id}/reset-totp", admins, s.resetTOTP},
		{"POST /admin/users/{id}/end-sessions", admins, s.endSessions},
		{"POST /admin/users/{id}/remove", admins, s.removeUser},
		{"POST /admin/users/{id}/reset-passphrase", admins, s.resetPassphrase},
		{"POST /admin/users", admins, s.invite},
		{"POST /admin/invitations/{id}/withdraw", admins, s.withdrawInvitation},
		{"GET /account/activate", anyone, s.activateForm}, // the activation cookie is checked by the handler
		{"GET /account/activate.png", anyone, s.activateQR},
		{"POST /account/activate", anyone, s.activate},
		{"POST /tips/{id}/rewards", analysts, s.recommend},
		{"GET /rewards", readers, s.rewards},
		{"GET /rewards/{rid}", readers, s.rewardDetail},
		{"POST /rewards/{rid}/approve", members, s.approve},
		{"POST /rewards/{rid}/deny", members, s.deny},
		{"POST /rewards/{rid}/payments", members, s.pay},
		{"POST /rewards/{rid}/share", analysts, s.shareReward},
		{"GET /oversight", overseers, s.oversight},
		{"GET /oversight.csv", overseers, s.oversightCSV},
		{"GET /admin/settings", admins, s.settings},
		{"POST /admin/statuses", admins, s.addStatus},
		{"POST /admin/offers/{id}/recipients", admins, s.addRecipient},
		{"POST /admin/offers/{id}/recipients/remove", admins, s.removeRecipient},
		{"GET /admin/offers", admins, s.offersAdmin},
		{"GET /admin/offers/new", admins, s.newOfferForm},
		{"POST /admin/offers", admins, s.createOffer},
		{"GET /admin/offers/{id}/edit", admins, s.editOfferForm},
		{"POST /admin/offers/{id}", admins, s.updateOffer},
		{"POST /admin/ceiling", admins, s.setCeiling},
		{"GET /audit", auditors, s.auditLog},
		// WebAuthn (webauthn*.go): a user's own security keys, and the login
		// with one, whose later steps are checked by the pending-login cookie.
		{"GET /account", loggedIn, s.accountPage},
		{"POST /account/email", loggedIn, s.setEmail},
		{"POST /account/webauthn/register/begin", loggedIn, s.registerKeyBegin},
		{"POST /account/webauthn/register/finish", loggedIn, s.registerKeyFinish},
		{"POST /account/webauthn/{id}/remove", loggedIn, s.removeKey},
		{"GET /login/webauthn", anyone, s.keyLoginForm},
		{"POST /login/webauthn", anyone, s.keyLogin},
		{"POST /login/webauthn/begin", anyone, s.keyLoginBegin},
		{"POST /login/webauthn/finish", anyone, s.keyLoginFinish},
	}
}
