// Package intake is the source site: the pages a tipster reads, the form they
// send, the receipt they get, and the status page they come back to.
//
// Its promises (DESIGN.md): no JavaScript and no third-party resource on any
// page; no client address, user agent or request id stored or logged; no
// cookie until a source logs in with a receipt; uploads streamed straight into
// sealed staging chunks, never spooled to a plaintext temp file; a tip either
// committed whole with its wrapped keys before its receipt is shown, or not at
// all.
package intake

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"tipline/internal/blind"
	"tipline/internal/disk"
	"tipline/internal/install"
	"tipline/internal/screening"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/upload"
	"tipline/internal/web"
)

// Config is what the source site needs.
type Config struct {
	Store  *store.Store
	Keys   *install.Keys
	Logger *slog.Logger
	// Screening screens each new report against the sanctions lists; nil
	// screens nothing (the desk screens such reports when first opened).
	Screening *screening.Service
	Onion     string // onion address advertised with Onion-Location, if any
	MaxBytes  int64  // the largest request body: a report with all its files

	// Budgets, off (zero) by default.
	SubmissionsPerMinute int
	StorageQuotaBytes    int64
	// Room refuses a report or reply, before its body is read, that would
	// leave the disk with less than its reserve; nil checks nothing (a full
	// disk is still answered with the same page).
	Room *disk.Room

	// Bodies bounds the request bodies received at once and how slowly one
	// may arrive; zero fields take web.DefaultBodyLimits.
	Bodies web.BodyLimits

	// FailedReceiptInterval spaces out answers to wrong receipts, across all
	// clients; FailedReceiptDelay is the least any wrong answer waits.
	FailedReceiptInterval time.Duration
	FailedReceiptDelay    time.Duration

	// CommitPatience is the longest a report's commit waits on the database
	// before the source is told it is unavailable; DefaultCommitPatience if
	// zero.
	CommitPatience time.Duration
}

// DefaultCommitPatience is far beyond a commit's usual milliseconds, even
// a batch of them on a slow disk, and short enough that a source is told.
const DefaultCommitPatience = 15 * time.Second

// DefaultMaxBytes is the default upload limit: 2 GiB.
const DefaultMaxBytes = 2 << 30

// Server serves the source site.
type Server struct {
	cfg       Config
	store     *store.Store
	recovery  seal.Recipient
	index     *blind.Index
	pages     *web.Templates
	catalogs  web.Catalogs
	log       *slog.Logger
	committer *committer
	guesses   *guessGate
	budget    *budget
	holders   recipientCache
	bodies    *web.Bodies
	confirm   *confirmPages
	outage    store.OutageLog
	// noRoomLogged is when a refusal for want of disk room was last logged.
	noRoomLogged atomic.Int64
}

// New prepares the source site. Call Run to start its background work.
func New(cfg Config) (*Server, error) {
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.FailedReceiptInterval == 0 {
		cfg.FailedReceiptInterval = 100 * time.Millisecond
	}
	if cfg.FailedReceiptDelay == 0 {
		cfg.FailedReceiptDelay = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CommitPatience == 0 {
		cfg.CommitPatience = DefaultCommitPatience
	}
	recovery, err := cfg.Keys.Recovery()
	if err != nil {
		return nil, err
	}
	index, err := blind.New(cfg.Keys.BlindIndexKey)
	if err != nil {
		return nil, err
	}
	pages, err := web.ParseTemplates(web.SourceTemplates)
	if err != nil {
		return nil, err
	}
	catalogs, err := web.LoadCatalogs()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: cfg.Store, recovery: recovery, index: index, pages: pages, catalogs: catalogs, log: cfg.Logger,
		committer: newCommitter(cfg.Store, cfg.CommitPatience),
		guesses:   newGuessGate(cfg.Store, cfg.FailedReceiptInterval, cfg.FailedReceiptDelay),
		budget:    &budget{limits: store.BudgetLimits{PerMinute: cfg.SubmissionsPerMinute, Quota: cfg.StorageQuotaBytes}, store: cfg.Store},
		bodies:    web.NewBodies(cfg.Bodies),
	}
	if s.confirm, err = s.prepareConfirmPages(); err != nil {
		return nil, err
	}
	return s, nil
}

// StagingTTL is how long an unadopted upload may take before it is swept: a
// slow upload over Tor may take hours.
const StagingTTL = 12 * time.Hour

// Run commits tips and sweeps abandoned uploads and expired sessions until ctx
// ends. Stop the HTTP server first, so no handler waits on a stopped committer.
func (s *Server) Run(ctx context.Context) {
	go s.committer.run(ctx)
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		s.sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (s *Server) sweep(ctx context.Context) {
	if _, err := s.store.SweepStaged(ctx, time.Now().Add(-StagingTTL)); err != nil && ctx.Err() == nil {
		s.outage.Failed(s.log, "sweeping staged uploads failed", err)
	}
	if err := s.store.SweepSourceSessions(ctx); err != nil && ctx.Err() == nil {
		s.outage.Failed(s.log, "sweeping source sessions failed", err)
	}
}

// Handler returns the source site with its protective middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, l := range web.Languages {
		lang, p := l.Code, l.Prefix
		mux.HandleFunc("GET "+p+"/{$}", s.withLang(lang, s.landing))
		mux.HandleFunc("GET "+p+"/offers/{id}", s.withLang(lang, s.offer))
		mux.HandleFunc("GET "+p+"/submit", s.withLang(lang, s.submitForm))
		mux.HandleFunc("POST "+p+"/submit", s.withLang(lang, s.submit))
		mux.HandleFunc("GET "+p+"/status", s.withLang(lang, s.status))
		mux.HandleFunc("POST "+p+"/status", s.withLang(lang, s.statusLogin))
		mux.HandleFunc("POST "+p+"/status/messages", s.withLang(lang, s.statusMessage))
		mux.HandleFunc("GET "+p+"/status/files/{blob}", s.withLang(lang, s.statusFile))
		mux.HandleFunc("POST "+p+"/status/end", s.withLang(lang, s.statusEnd))
		mux.HandleFunc("POST "+p+"/status/logout", s.withLang(lang, s.statusLogout))
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", web.Static()))
	mux.HandleFunc("/", s.withLang("en", func(w http.ResponseWriter, r *http.Request, lang string) {
		s.fail(w, lang, tip.Errorf(tip.CodeNotFound, "no such page"))
	}))
	return web.Recover(s.log, web.SecureHeaders(web.SourceCSP, s.cfg.Onion, web.CrossOrigin(s.bodies.Guard(mux))))
}

// withLang serves a page in a language. No page is ever cached: many repeat
// what the source wrote (a form sent back with its problems, the status page),
// and a cached copy would outlive the visit on a shared or seized computer.
// Only the style sheet, under /static/, may be cached.
func (s *Server) withLang(lang string, h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		web.NoStore(w)
		h(w, r, lang)
	}
}

// page is what every source template gets.
type page struct {
	L         web.Localizer
	Languages []web.Language
}

func (s *Server) page(lang string) page {
	return page{L: s.catalogs.For(lang), Languages: web.Languages}
}

// fail answers with the page for an application error. It is the one place
// errors become HTTP statuses; only internal errors are logged, and never with
// report content.
func (s *Server) fail(w http.ResponseWriter, lang string, err error) {
	err = store.Classify(err)
	if errors.Is(err, store.ErrUnavailable) {
		s.outage.Note(s.log, err)
	}
	if tip.ErrorCode(err) == tip.CodeNoRoom {
		s.noteNoRoom(err)
	}
	l := s.catalogs.For(lang)
	s.pages.Render(w, tip.HTTPStatus(err), "message", struct {
		page
		Title, Text, Back string
		Good              bool
	}{s.page(lang), l.T("error_title"), s.explain(l, err), "/", false})
}

// noteNoRoom logs, at WARN and at most once a minute, that sources are
// turned away for want of disk room: the operator must free some, and one
// who watches no metrics learns it only here.
func (s *Server) noteNoRoom(err error) {
	now := time.Now().UnixNano()
	last := s.noRoomLogged.Load()
	if now-last < int64(time.Minute) || !s.noRoomLogged.CompareAndSwap(last, now) {
		return
	}
	s.log.Warn("reports are refused: the data folder's disk is full or under its reserve; free some room there (or lower serve --min-free)", "err", err)
}

// explain says what went wrong, and what to do, in the source's language.
func (s *Server) explain(l web.Localizer, err error) string {
	switch {
	case errors.Is(err, store.ErrUnavailable):
		return l.T("error_unavailable")
	case errors.Is(err, errQuotaFull), tip.ErrorCode(err) == tip.CodeNoRoom:
		return l.T("error_storage_full")
	case errors.Is(err, upload.ErrTextTooLong):
		return l.T("error_text_too_long", humanBytes(upload.MaxTextBytes))
	case errors.Is(err, upload.ErrCleaningBusy):
		return l.T("error_cleaning_busy")
	case errors.Is(err, web.ErrBodyCrowded):
		return l.T("error_upload_crowded")
	case errors.Is(err, web.ErrBodyTooSlow):
		return l.T("error_upload_too_slow")
	}
	switch tip.ErrorCode(err) {
	case tip.CodeInvalid:
		return l.T("error_bad_form")
	case tip.CodeNotFound:
		return l.T("error_not_found")
	case tip.CodeTooLarge:
		return l.T("error_too_large", humanBytes(s.cfg.MaxBytes))
	case tip.CodeUnavailable:
		return l.T("error_busy")
	case tip.CodeUnauthorized:
		return l.T("session_ended")
	case tip.CodeConflict, tip.CodeForbidden:
		return tip.ErrorMessage(err)
	}
	s.log.Error("internal error on the source site", "err", err)
	return l.T("error_internal")
}
