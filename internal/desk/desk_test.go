package desk_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/auth"
	"tipline/internal/blind"
	"tipline/internal/desk"
	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/screening"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// world is a real installation with both sites served over HTTP.
type world struct {
	t       *testing.T
	store   *store.Store
	audit   *audit.Log
	acct    *account.Service
	source  string
	deskURL string
	desk    *desk.Server
	now     time.Time

	screening *screening.Service
}

// cheap argon2id parameters keep tests fast; production uses DefaultParams.
var testParams = auth.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

func newWorld(t *testing.T, b storetest.Backend) *world { return newWorldWith(t, b, worldOptions{}) }

// worldOptions change a world's desk from the defaults the tests share.
type worldOptions struct {
	retention  time.Duration // how long closed reports are kept (0: for ever)
	noWebAuthn bool          // no desk origin configured: security keys off
}

// newWorldWith makes a world whose desk is configured by opts. Its desk's
// origin, for WebAuthn, is http://localhost:PORT (see localDesk).
func newWorldWith(t *testing.T, b storetest.Backend, opts worldOptions) *world {
	ctx := context.Background()
	if _, err := install.Init(ctx, install.Options{DataDir: b.DataDir, DSN: b.DSN}); err != nil {
		t.Fatal(err)
	}
	keys, _ := install.Load(b.DataDir)
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, store: st, audit: log, now: time.Now()}
	w.acct = &account.Service{Store: st, Hasher: auth.NewHasher(testParams, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{}), Now: func() time.Time { return w.now }}
	index, _ := blind.New(keys.BlindIndexKey)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	w.screening = screening.New(st, index, logger)
	src, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: logger, Screening: w.screening, FailedReceiptDelay: time.Millisecond, FailedReceiptInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	deskSrv := httptest.NewUnstartedServer(nil)
	cfg := desk.Config{Store: st, Accounts: w.acct, Audit: log, Index: index, Logger: logger, Retention: opts.retention, Screening: w.screening}
	if !opts.noWebAuthn {
		_, port, _ := net.SplitHostPort(deskSrv.Listener.Addr().String())
		cfg.WebAuthnOrigins = []string{"http://localhost:" + port}
	}
	d, err := desk.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	deskSrv.Config.Handler = d.Handler()
	deskSrv.Start()
	runCtx, stop := context.WithCancel(ctx)
	go src.Run(runCtx)
	srcSrv := httptest.NewServer(src.Handler())
	t.Cleanup(func() { srcSrv.Close(); deskSrv.Close(); stop(); st.Close() })
	w.source, w.deskURL, w.desk = srcSrv.URL, deskSrv.URL, d
	return w
}

type user struct {
	name, password string
	secret         string
}

const password = "correct horse battery staple"

func (w *world) addUser(name string, roles ...tip.Role) user {
	created, err := w.acct.Create(context.Background(), name, password, roles, nil, "")
	if err != nil {
		w.t.Fatal(err)
	}
	key, err := otp.NewKeyFromURL(created.TOTPURI)
	if err != nil {
		w.t.Fatal(err)
	}
	return user{name, password, key.Secret()}
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (w *world) browser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: w.t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, body io.Reader, ct string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, "") }

func (b *browser) post(path string, v url.Values) (*http.Response, string) {
	return b.do("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// login logs u in with a code for the world's clock.
func (w *world) login(u user) *browser {
	w.t.Helper()
	b := w.browser(w.deskURL)
	code, _ := totp.GenerateCode(u.secret, w.now)
	resp, page := b.post("/login", url.Values{"name": {u.name}, "password": {u.password}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("login of %s: %d\n%s", u.name, resp.StatusCode, page)
	}
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(cookie, want) {
			w.t.Fatalf("desk cookie %q lacks %s", cookie, want)
		}
	}
	w.now = w.now.Add(30 * time.Second) // the next login needs a fresh code
	return b
}

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]*)</p>`)

// submit sends a report with one file to the source site.
func (w *world) submit(message, fileName, fileBody string) string {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "ship_to_ship")
	mw.WriteField("message", message)
	if fileName != "" {
		fw, _ := mw.CreateFormFile("attachment", fileName)
		io.WriteString(fw, fileBody)
	}
	mw.Close()
	resp, err := http.Post(w.source+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := receiptPattern.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		w.t.Fatalf("submit: %d", resp.StatusCode)
	}
	return string(m[1])
}

var tipLink = regexp.MustCompile(`href="/tips/([a-z0-9]{26})"`)
var fileLink = regexp.MustCompile(`href="(/tips/[a-z0-9]{26}/files/[a-z0-9]{26})"`)

func storeFilter(tipID string) store.AuditFilter { return store.AuditFilter{TipID: tipID, Limit: 500} }

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
