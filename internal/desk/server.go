// Package desk is the back office: where analysts read, triage and answer
// reports, admins manage users, and auditors read the log. It is served on
// its own address, to be kept on a private network or behind a
// client-authorised onion service.
//
// Every route's roles are declared once, with its handler (permissions.go). Every read and write
// of a report is audited before it is shown or after it is done. A report a
// user cannot open is "not found", never "forbidden": the desk does not reveal
// what exists to someone who may not see it.
package desk

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/blind"
	"tipline/internal/screening"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// CSP for the desk: like the source site's, no script at all (WebAuthn will
// add exactly one same-origin script when it comes).
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Config is what the desk needs.
type Config struct {
	Store    *store.Store
	Accounts *account.Service
	Audit    *audit.Log
	Index    *blind.Index
	Logger   *slog.Logger
	// Screening re-screens a report's names when it is opened after the
	// lists changed; nil leaves screening results as they are.
	Screening *screening.Service
	MaxBytes  int64 // largest message with its files
	// Retention is how long a closed report is kept before it is shredded;
	// zero keeps reports for ever.
	Retention time.Duration
	// WebAuthn: the relying party ID and the origins the desk is served at
	// (see webauthn.go; `serve --desk-origin`). The ID defaults to the first
	// origin's host name. With no origins, security keys are off.
	WebAuthnRPID    string
	WebAuthnOrigins []string
	// SecureCookies marks the desk's cookies Secure even on a plain HTTP
	// request: the desk is behind a proxy that terminates TLS (its origin
	// is https). Over TLS they are Secure anyway.
	SecureCookies bool
	// ListsMaxAge is the age past which a list in force is warned about on
	// the queue page; zero for a week.
	ListsMaxAge time.Duration
}

// Server serves the desk.
type Server struct {
	cfg   Config
	store *store.Store
	acct  *account.Service
	audit *audit.Log
	pages *web.Templates
	log   *slog.Logger
	// outage logs that the database does not answer, once in a while.
	outage store.OutageLog
}

// New prepares the desk.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = 512 << 20
	}
	pages, err := web.ParseTemplates(web.DeskTemplates)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, store: cfg.Store, acct: cfg.Accounts, audit: cfg.Audit, pages: pages, log: cfg.Logger}, nil
}

// Handler returns the desk with its protective middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, s.guard(r.roles, r.handler))
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", web.Static()))
	return web.Recover(s.log, web.SecureHeaders(CSP, "", web.CrossOrigin(noStore(mux))))
}

// noStore keeps every desk page out of caches: they hold report content.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.NoStore(w)
		next.ServeHTTP(w, r)
	})
}

// fail answers with the page for an application error: the one place errors
// become statuses. Internal errors are logged without report content and
// shown as a plain apology.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	err = s.classify(err)
	status, text := tip.HTTPStatus(err), tip.ErrorMessage(err)
	switch tip.ErrorCode(err) {
	case tip.CodeUnauthorized:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	case tip.CodeNotFound:
		text = "Not found."
	case tip.CodeTooLarge:
		text = "Too large."
	case tip.CodeUnavailable:
		if errors.Is(err, store.ErrUnavailable) {
			text = "The database does not answer. Nothing was changed: try again in a minute."
		}
	}
	if status == http.StatusInternalServerError {
		text = "Sorry, something went wrong. It has been logged."
		s.log.Error("internal error on the desk", "pattern", r.Pattern, "err", err)
	}
	s.pages.Render(w, status, "message", messagePage{Title: http.StatusText(status), Text: text, Back: "/"})
}

// classify makes an error from a database that does not answer a 503 (see
// store.Classify), and logs the outage, once in a while.
func (s *Server) classify(err error) error {
	err = store.Classify(err)
	if errors.Is(err, store.ErrUnavailable) {
		s.outage.Note(s.log, err)
	}
	return err
}

type messagePage struct {
	Session *account.Session
	Title   string
	Text    string
	Back    string
}

// record appends an audit entry for an event that changes nothing else: a
// read, before its content is sent, or a refused login. A read whose entry
// cannot be written is not shown.
func (s *Server) record(ctx context.Context, sess *account.Session, action, tipID, detail string) error {
	return s.audit.Record(ctx, auditEvent(actorOf(sess), action, tipID, detail))
}

// audited returns ctx with the action's audit entry attached: the store
// appends it in the transaction of the first write made under the returned
// context, so the change and its record commit together or not at all.
func (s *Server) audited(ctx context.Context, sess *account.Session, action, tipID, detail string) (context.Context, error) {
	return s.audit.Attach(ctx, auditEvent(actorOf(sess), action, tipID, detail))
}

func actorOf(sess *account.Session) string {
	if sess == nil {
		return "anonymous"
	}
	return sess.User.Holder()
}
