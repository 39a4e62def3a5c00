package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"syscall"
	"time"

	"tipline/internal/desk"
	"tipline/internal/disk"
	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/metrics"
	"tipline/internal/notify"
	"tipline/internal/onion"
	"tipline/internal/screening"
	"tipline/internal/web"
)

const defaultDataDir = "./tipline-data"

func init() {
	register(command{name: "serve", order: 1, run: runServe, usage: "" +
		"  tipline serve [--data DIR] [--public ADDR] [--desk ADDR] [--db DSN]\n" +
		"                         run the source site and the desk"})
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	data := fs.String("data", defaultDataDir, "the data folder")
	public := fs.String("public", "127.0.0.1:8080", "address of the source site")
	deskAddr := fs.String("desk", "127.0.0.1:8081", "address of the back office (keep it private)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	onionAddr := fs.String("onion", "", "the site's v3 .onion address, when torrc publishes it; sent as Onion-Location")
	torControl := fs.String("tor-control", "", "Tor's control port (host:port or unix:/path): Tipline publishes its own onion service there")
	torPasswordFile := fs.String("tor-control-password-file", "", "a file holding the control port's password, when Tor asks for one (cookie authentication needs none)")
	maxUpload := fs.Int64("max-upload", intake.DefaultMaxBytes, "largest report with its files, in bytes")
	perMinute := fs.Int("submissions-per-minute", 0, "budget of reports and source replies per minute across all sources; refused requests spend nothing (0: off)")
	quota := fs.Int64("storage-quota", 0, "refuse a report or source reply that would take the sealed bytes stored past this (0: off)")
	minFree := fs.Uint64("min-free", disk.DefaultMinFree, "refuse a report or source reply, before receiving it, that would leave less than this many bytes free on the data folder's disk; /readyz reports not ready below it (0: off)")
	var webauthnOrigins repeated
	fs.Var(&webauthnOrigins, "desk-origin", "the desk's origin as users' browsers see it (https://desk.example.org), enabling security keys (repeatable; without it they are off)")
	fs.Var(&webauthnOrigins, "desk-webauthn-origin", "the same as --desk-origin")
	webauthnRPID := fs.String("desk-webauthn-rpid", "", "the WebAuthn relying-party id (default: the first origin's host)")
	smtpURL := fs.String("smtp-url", "", "mail server for notifications: smtp://[user:pass@]host[:port][?starttls=required] or smtps://...")
	smtpFrom := fs.String("smtp-from", "", "the notifications' sender address")
	notifyEvery := fs.Duration("notify-every", 24*time.Hour, "how often each desk user with an email address is told whether something awaits them (1s or more)")
	listsRefresh := fs.Duration("lists-refresh", 0, "download and import the sanctions lists on this cadence (1s or more; 0: off)")
	listsURL := listURLs{}
	fs.Var(listsURL, "lists-url", "SOURCE=URL: where to download a source from instead of its official address (un, ofac, un-vessels; repeatable)")
	listsMaxAge := fs.Duration("lists-max-age", 7*24*time.Hour, "warn the analysts when a list in force is older than this")
	metricsAddr := fs.String("metrics", "", "serve /healthz, /readyz and /metrics (Prometheus) on this address, apart from both sites (off by default)")
	deskCert := fs.String("desk-cert", "", "serve the desk over TLS 1.3 with this certificate (PEM; with --desk-key)")
	deskKey := fs.String("desk-key", "", "the private key of --desk-cert (PEM)")
	retain := fs.Duration("retain-closed", 365*24*time.Hour, "shred closed reports this long after closing, unless on legal hold (0: keep for ever)")
	auditAnchor := fs.String("audit-anchor", "", "append the audit log's signed head to this file, outside the data folder, at start, every 5 minutes and at shutdown (check: tipline audit verify --anchors FILE)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	if _, err := install.Load(*data); errors.Is(err, install.ErrNotInitialised) && *data == defaultDataDir {
		if err := initialise(context.Background(), stderr, install.Options{DataDir: *data, DSN: *dsn}); err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	anchors, err := openAuditAnchors(a, *data, *auditAnchor)
	if err != nil {
		return err
	}
	defer anchors.close()

	onionKey, err := onionService(*data, a.keys, *onionAddr, *torControl)
	if err != nil {
		return err
	}
	if onionKey != nil {
		*onionAddr = onionKey.Address()
	}
	switch {
	case *listsRefresh < 0 || (*listsRefresh > 0 && *listsRefresh < time.Second):
		return usageError{withHint(fmt.Errorf("--lists-refresh %v is too short", *listsRefresh), "use 1s or more: daily (24h) suits the official lists")}
	case *listsRefresh > 0 && *listsRefresh < time.Hour:
		logger.Warn("lists are refreshed more often than hourly: fine for tests; the official lists change at most daily", "every", *listsRefresh)
	}
	var notifier *notify.Notifier
	if *smtpURL != "" {
		if notifier, err = notify.New(notify.Config{Store: a.store, URL: *smtpURL, From: *smtpFrom, Every: *notifyEvery, Retention: *retain, Logger: logger}); err != nil {
			return usageError{withHint(err, "check --smtp-url, --smtp-from and --notify-every")}
		}
	}
	screener := screening.New(a.store, a.index, logger)
	room := disk.NewRoom(*data, *minFree)
	src, err := intake.New(intake.Config{
		Store: a.store, Keys: a.keys, Logger: logger, Onion: *onionAddr, MaxBytes: *maxUpload, Screening: screener,
		SubmissionsPerMinute: *perMinute, StorageQuotaBytes: *quota, Room: room,
	})
	if err != nil {
		return err
	}
	publicLn, err := net.Listen("tcp", *public)
	if err != nil {
		return withHint(err, "choose another address with --public")
	}
	deskLn, err := net.Listen("tcp", *deskAddr)
	if err != nil {
		publicLn.Close()
		return withHint(err, "choose another address with --desk")
	}
	deskScheme := "http"
	if deskLn, err = deskTLS(deskLn, *deskCert, *deskKey); err != nil {
		publicLn.Close()
		return err
	}
	if *deskCert != "" {
		deskScheme = "https"
	}

	backOffice, err := desk.New(desk.Config{Store: a.store, Accounts: a.accounts, Audit: a.audit, Index: a.index, Logger: logger, Retention: *retain, Screening: screener,
		WebAuthnOrigins: webauthnOrigins, WebAuthnRPID: *webauthnRPID, SecureCookies: httpsOrigin(webauthnOrigins), ListsMaxAge: *listsMaxAge})
	if err != nil {
		return err
	}
	// The desk is authenticated but reachable: its request bodies are
	// watched as the source site's are (intake does its own), fewer at once,
	// and its users' browsers send headers at once.
	deskServer := newServer(metrics.Desk(web.NewBodies(web.BodyLimits{MaxBodies: 16}).Guard(backOffice.Handler())), logger)
	deskServer.ReadHeaderTimeout = 10 * time.Second
	servers := []*http.Server{newServer(metrics.SourceSite(src.Handler()), logger), deskServer}
	errs := make(chan error, 3)
	// The operator's listener first: once the sites answer, so does it.
	if *metricsAddr != "" {
		metricsServer, err := serveMetrics(*metricsAddr, *data, room.MinFree(), a, logger, errs)
		if err != nil {
			return err
		}
		servers = append(servers, metricsServer)
		fmt.Fprintf(stdout, "Metrics on http://%s/metrics\n", metricsServer.Addr)
	}
	go func() { errs <- servers[0].Serve(publicLn) }()
	go func() { errs <- servers[1].Serve(deskLn) }()
	runCtx, stopRun := context.WithCancel(context.Background())
	defer stopRun()
	go src.Run(runCtx)
	go backOffice.Run(runCtx)
	go screener.Run(runCtx)
	go a.store.WatchChanges(runCtx, logger) // other servers' and the CLI's changes clear this one's caches
	anchors.run(runCtx, logger)
	fmt.Fprintf(stdout, "Tipline source site on http://%s/  desk on %s://%s/\n", publicLn.Addr(), deskScheme, deskLn.Addr())
	if notifier != nil {
		go notifier.Run(runCtx)
	}
	if *listsRefresh > 0 {
		go refreshLists(runCtx, a, listsURL, *listsRefresh, logger)
	}
	logStart(ctx, logger, a, "http://"+publicLn.Addr().String(), deskScheme+"://"+deskLn.Addr().String(), *onionAddr)
	go watchSecretsLeftBehind(runCtx, logger, *data)
	if onionKey != nil {
		password, err := readSecretFile(*torPasswordFile)
		if err != nil {
			return err
		}
		go onion.Publish(runCtx, onion.Config{ControlAddr: *torControl, Password: password, Key: onionKey, Target: publicLn.Addr().String(), Logger: logger,
			Published: func(address string, pow bool) {
				defence := "on"
				if !pow {
					defence = "off (this Tor is older than 0.4.9)"
				}
				fmt.Fprintf(stdout, "Onion service: http://%s/ (proof-of-work defence %s)\n", address, defence)
			}})
	}

	select {
	case <-ctx.Done():
	case err = <-errs:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(shutdown)
	}
	stopRun()
	anchors.close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	logger.Info("tipline stopped", "err", err)
	return err
}

func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// net/http logs some errors with the client's address ("TLS
		// handshake error from 1.2.3.4:5678"); those never reach our log.
		ErrorLog: log.New(redactingWriter{logger}, "", 0),
	}
}

var addrPattern = regexp.MustCompile(`\[?[0-9a-fA-F:.]*[0-9a-fA-F]\]?:\d+|\d{1,3}(\.\d{1,3}){3}`)

// redactingWriter forwards net/http's own log lines without any address.
type redactingWriter struct{ log *slog.Logger }

func (r redactingWriter) Write(p []byte) (int, error) {
	r.log.Warn("http server", "msg", addrPattern.ReplaceAllString(string(p), "[address removed]"))
	return len(p), nil
}
