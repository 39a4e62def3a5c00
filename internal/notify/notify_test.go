package notify_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tipline/internal/mailtest"
	"tipline/internal/metrics"
	"tipline/internal/notify"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// installation makes kim, an analyst with an email address who receives
// the default offer, and returns the store and kim.
func installation(t *testing.T) (*store.Store, tip.User, tip.Offer) {
	t.Helper()
	s, err := store.Open(context.Background(), t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	o := tip.Offer{ID: tip.NewID(), Title: map[string]string{"en": "offer"}, Description: map[string]string{},
		MaxRewardUSD: 1000, Categories: tip.DPRKCategories, IsDefault: true, CreatedAt: time.Now()}
	if err := s.CreateOffer(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	kim := tip.User{ID: tip.NewID(), Name: "kim", Roles: []tip.Role{tip.RoleAnalyst}, PublicKey: "age1pq1kim", TOTPEnrolled: true, Email: "kim@example.org"}
	if err := s.CreateUser(context.Background(), store.NewUser{User: kim, Password: "x", WrappedKey: []byte("w"), TOTPSealed: []byte("t"), Offers: []string{o.ID}}); err != nil {
		t.Fatal(err)
	}
	return s, kim, o
}

// receive commits a new report that kim can open.
func receive(t *testing.T, s *store.Store, o tip.Offer, kim tip.User) string {
	t.Helper()
	id := tip.NewID()
	n := &store.NewTip{Tip: tip.Tip{ID: id, OfferID: o.ID, Category: "oil", Status: tip.StatusNew, ReceivedAt: time.Now()},
		ReceiptLookup: "lookup-" + id, Content: []byte("sealed"),
		WrappedKeys: map[string][]byte{"receipt": []byte("r"), "recovery": []byte("k"), kim.Holder(): []byte("u")}}
	if err := s.CommitTips(context.Background(), []*store.NewTip{n}); err != nil {
		t.Fatal(err)
	}
	return id
}

// A notice says only whether something awaits; with and without, it has
// the same subject and exactly the same size, and names no report.
func TestNoticesAreTheSameSizeWhetherOrNotAnythingAwaits(t *testing.T) {
	mail := mailtest.Start(t, mailtest.Options{})
	s, kim, o := installation(t)
	var logs bytes.Buffer
	n, err := notify.New(notify.Config{Store: s, URL: "smtp://" + mail.SMTP, From: "desk@example.org", Every: time.Hour,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	n.Round(context.Background())
	tipID := receive(t, s, o, kim)
	n.Round(context.Background())

	got := mail.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages, want one per round", len(got))
	}
	nothing, something := got[0], got[1]
	if !strings.Contains(nothing.Raw, "Awaiting you on the Tipline desk: none.") || !strings.Contains(something.Raw, "Awaiting you on the Tipline desk: some.") {
		t.Fatalf("the notices do not say whether something awaits:\n%s\n---\n%s", nothing.Raw, something.Raw)
	}
	if nothing.Subject != something.Subject || nothing.Size != something.Size || len(nothing.Raw) != len(something.Raw) {
		t.Fatalf("the notices differ: subjects %q/%q, sizes %d/%d (raw %d/%d)", nothing.Subject, something.Subject, nothing.Size, something.Size, len(nothing.Raw), len(something.Raw))
	}
	if strings.Contains(something.Raw, tipID) || strings.Contains(something.Raw, "oil") {
		t.Fatal("a notice names the report")
	}
	if !strings.Contains(logs.String(), "sent in the clear") {
		t.Fatalf("no warning that the mail went in the clear:\n%s", logs.String())
	}
}

// STARTTLS when offered; ?starttls=required refuses a server without it,
// and the failure is counted; smtps is TLS from the first byte; the URL's
// user info authenticates.
func TestMailServerSecurity(t *testing.T) {
	s, _, _ := installation(t)
	round := func(url string, mail *mailtest.Server) int {
		n, err := notify.New(notify.Config{Store: s, URL: url, From: "desk@example.org", Every: time.Second, TLS: mail.TLS,
			Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
		if err != nil {
			t.Fatal(err)
		}
		before := len(mail.Messages())
		n.Round(context.Background())
		return len(mail.Messages()) - before
	}
	plain := mailtest.Start(t, mailtest.Options{})
	failed := testutil.ToFloat64(metrics.NotificationsSent.WithLabelValues("failed"))
	if got := round("smtp://"+plain.SMTP+"?starttls=required", plain); got != 0 {
		t.Fatal("a notice went in the clear though STARTTLS was required")
	}
	if testutil.ToFloat64(metrics.NotificationsSent.WithLabelValues("failed")) <= failed {
		t.Fatal("the refusal was not counted")
	}
	starttls := mailtest.Start(t, mailtest.Options{StartTLS: true, Auth: "desk:mail-pass_1"})
	if got := round("smtp://desk:mail-pass_1@"+starttls.SMTP+"?starttls=required", starttls); got != 1 {
		t.Fatal("no notice over STARTTLS with authentication")
	}
	if !strings.Contains(starttls.Messages()[0].Raw, "Awaiting you") {
		t.Fatal("the notice's text is lost")
	}
	implicit := mailtest.Start(t, mailtest.Options{Implicit: true})
	if got := round("smtps://"+implicit.SMTP, implicit); got != 1 {
		t.Fatal("no notice over smtps")
	}
}

func TestConfigurationErrorsSayWhatToDo(t *testing.T) {
	for _, c := range []notify.Config{
		{URL: "smtp://mail.example.org", From: "desk@example.org", Every: time.Millisecond},
		{URL: "smtp://mail.example.org", From: "not an address", Every: time.Hour},
		{URL: "http://mail.example.org", From: "desk@example.org", Every: time.Hour},
	} {
		if _, err := notify.New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
