// Package notify tells desk users, at a fixed cadence, whether something
// awaits them on the desk — and nothing else.
//
// Every user with an email address gets one message per period whether or
// not anything happened, with the same subject and exactly the same size
// either way, so that a mailbox, a mail server or anyone watching the mail
// learns nothing from the notices: not that a report arrived, not when, not
// how many. A message never holds a category, text, id, count or time of any
// report. A failing mail server is retried and counted, and never blocks
// the desk: sending runs on its own goroutine.
package notify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"tipline/internal/metrics"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// Config says how and how often to notify.
type Config struct {
	Store *store.Store
	// URL is the mail server: smtp://[user:pass@]host[:port] (STARTTLS when
	// offered, else in the clear with a warning; ?starttls=required makes it
	// mandatory), or smtps:// (implicit TLS).
	URL       string
	From      string
	Every     time.Duration
	Retention time.Duration // how long closed reports are kept, for shred warnings
	Logger    *slog.Logger
	// TLS overrides the TLS settings (tests use it to trust their own
	// server); nil uses the system's roots.
	TLS *tls.Config
}

// Notifier sends the notices.
type Notifier struct {
	cfg    Config
	client *gomail.Client
	from   string
	// opportunistic: plain smtp:// without starttls=required.
	opportunistic bool
}

// New checks the configuration.
func New(cfg Config) (*Notifier, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Every < time.Second {
		return nil, fmt.Errorf("--notify-every %v is too short: use 1s or more (an hour or more in production)", cfg.Every)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("--smtp-from %q is not an email address: %w", cfg.From, err)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("--smtp-url %q is not a URL such as smtp://mail.example.org:587", cfg.URL)
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	n := &Notifier{cfg: cfg, from: from.Address}
	switch u.Scheme {
	case "smtp":
		port := 587
		if u.Query().Get("starttls") == "required" {
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		} else {
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
			n.opportunistic = true
		}
		opts = append(opts, gomail.WithPort(portOf(u, port)))
	case "smtps":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(portOf(u, 465)))
	default:
		return nil, fmt.Errorf("--smtp-url %q: use smtp:// or smtps://", cfg.URL)
	}
	if cfg.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLS))
	}
	if u.User != nil {
		password, _ := u.User.Password()
		opts = append(opts, gomail.WithUsername(u.User.Username()), gomail.WithPassword(password),
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover))
	}
	if n.client, err = gomail.NewClient(u.Hostname(), opts...); err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	if cfg.Every < time.Hour {
		cfg.Logger.Warn("notifications more often than hourly: fine for tests, but each notice is a message the mail servers see", "every", cfg.Every)
	}
	return n, nil
}

func portOf(u *url.URL, fallback int) int {
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p
	}
	return fallback
}

// Run sends a round of notices every period until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	tick := time.NewTicker(n.cfg.Every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			n.Round(ctx)
		}
	}
}

// Round sends each user with an email address their notice, retrying a
// failing server a few times within the period.
func (n *Notifier) Round(ctx context.Context) {
	users, err := n.cfg.Store.Users(ctx)
	if err != nil {
		n.cfg.Logger.Error("notifications: cannot read the users", "err", err)
		return
	}
	var msgs []*gomail.Msg
	for _, u := range users {
		if u.Email == "" || u.Disabled {
			continue
		}
		awaits, err := n.cfg.Store.Awaits(ctx, u, n.cfg.Retention, time.Now())
		if err != nil {
			n.cfg.Logger.Error("notifications: cannot tell what awaits a user", "user", u.Holder(), "err", err)
			return
		}
		m, err := n.message(u, awaits)
		if err != nil {
			n.cfg.Logger.Error("notifications: cannot write a notice", "user", u.Holder(), "err", err)
			metrics.NotificationsSent.WithLabelValues("failed").Inc()
			continue
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return
	}
	wait := time.Second
	for attempt := 1; ; attempt++ {
		err := n.send(ctx, msgs)
		if err == nil {
			metrics.NotificationsSent.WithLabelValues("sent").Add(float64(len(msgs)))
			return
		}
		if attempt == 3 || ctx.Err() != nil || wait > n.cfg.Every/2 {
			n.cfg.Logger.Error("notifications: the mail server refused; the next round tries again", "err", err, "notices", len(msgs))
			metrics.NotificationsSent.WithLabelValues("failed").Add(float64(len(msgs)))
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait *= 5
	}
}

// send delivers the round's notices over one connection.
func (n *Notifier) send(ctx context.Context, msgs []*gomail.Msg) error {
	sc, err := n.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return err
	}
	defer n.client.CloseWithSMTPClient(sc)
	if _, ok := sc.TLSConnectionState(); !ok && n.opportunistic {
		n.cfg.Logger.Warn("notifications are sent in the clear: the mail server offers no STARTTLS (add ?starttls=required to refuse that)")
	}
	return n.client.SendWithSMTPClient(sc, msgs...)
}

// The two bodies have the same length, byte for byte, and differ in one word.
const (
	subject = "Tipline desk"
	body    = "Awaiting you on the Tipline desk: %s.\r\n\r\n" +
		"Log in to the desk to see it. This notice is sent on a fixed schedule\r\n" +
		"whether or not anything awaits you, is always the same size, and says no\r\n" +
		"more, so that it tells nothing to anyone who sees it.\r\n"
)

var errBodySize = errors.New("the two notices differ in size")

func init() {
	if len(fmt.Sprintf(body, "some")) != len(fmt.Sprintf(body, "none")) {
		panic(errBodySize)
	}
}

// message writes one notice.
func (n *Notifier) message(u tip.User, awaits bool) (*gomail.Msg, error) {
	word := "none"
	if awaits {
		word = "some"
	}
	m := gomail.NewMsg(gomail.WithEncoding(gomail.NoEncoding))
	if err := m.From(n.from); err != nil {
		return nil, err
	}
	if err := m.To(u.Email); err != nil {
		return nil, err
	}
	m.Subject(subject)
	// A message id of fixed length, random, naming nothing.
	id := make([]byte, 16)
	rand.Read(id)
	m.SetMessageIDWithValue(hex.EncodeToString(id) + "@tipline.invalid")
	m.SetBodyString(gomail.TypeTextPlain, fmt.Sprintf(body, word))
	return m, nil
}
