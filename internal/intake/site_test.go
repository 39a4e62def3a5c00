package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/disk"
	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/web"
)

// site is a real source site on a real store, served over HTTP.
type site struct {
	url      string
	dataDir  string
	store    *store.Store
	recovery *seal.Key
	logs     *syncBuffer
	offerID  string
	requests *requests // what the server has received and answered
}

type siteOptions struct {
	maxBytes       int64
	onion          string
	guessInterval  time.Duration // time between answers to wrong receipts
	perMinute      int
	quota          int64
	bodies         web.BodyLimits
	commitPatience time.Duration
	minFree        uint64 // serve --min-free; 0: off
}

// newSite initialises an installation (with a generated recovery identity)
// and serves it.
func newSite(t *testing.T, b storetest.Backend, opt siteOptions) *site {
	t.Helper()
	ctx := context.Background()
	res, err := install.Init(ctx, install.Options{DataDir: b.DataDir, DSN: b.DSN})
	if err != nil {
		t.Fatal(err)
	}
	idText, err := os.ReadFile(res.RecoveryIdentityPath)
	if err != nil {
		t.Fatal(err)
	}
	recovery, err := seal.ParseKey(lastLine(string(idText)))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := install.Load(b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv, err := intake.New(intake.Config{
		Store: st, Keys: keys, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		MaxBytes: opt.maxBytes, Onion: opt.onion, SubmissionsPerMinute: opt.perMinute, StorageQuotaBytes: opt.quota, Bodies: opt.bodies,
		FailedReceiptInterval: max(opt.guessInterval, time.Millisecond), FailedReceiptDelay: time.Millisecond,
		CommitPatience: opt.commitPatience, Room: disk.NewRoom(b.DataDir, opt.minFree),
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	go srv.Run(runCtx)
	reqs := newRequests()
	hs := httptest.NewServer(reqs.count(srv.Handler()))
	t.Cleanup(func() {
		hs.Close()
		stop()
		st.Close()
	})
	return &site{url: hs.URL, dataDir: b.DataDir, store: st, recovery: recovery, logs: logs, offerID: res.OfferID, requests: reqs}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// requests counts the requests a site has begun and finished answering, so
// that a test can wait for the server's side of what it sent instead of
// sleeping.
type requests struct {
	mu                sync.Mutex
	started, finished int
	changed           chan struct{} // closed, and replaced, at every change
}

func newRequests() *requests { return &requests{changed: make(chan struct{})} }

func (r *requests) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.update(func() { r.started++ })
		defer r.update(func() { r.finished++ })
		next.ServeHTTP(w, req)
	})
}

func (r *requests) update(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
	close(r.changed)
	r.changed = make(chan struct{})
}

// await waits until ok holds of the counts, or fails the test after 30 s.
func (r *requests) await(t *testing.T, what string, ok func(started, finished int) bool) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		done, changed := ok(r.started, r.finished), r.changed
		r.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// form is a multipart form to send.
type form struct {
	fields [][2]string
	files  [][2]string // name, content
}

func (f form) body() (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		mw.WriteField(kv[0], kv[1])
	}
	for _, nf := range f.files {
		w, _ := mw.CreateFormFile("attachment", nf[0])
		io.WriteString(w, nf[1])
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// client is a browser-like client with its own cookie jar.
type client struct {
	t    *testing.T
	http *http.Client
	base string
	ua   string
}

func (s *site) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, http: &http.Client{Jar: jar}, base: s.url, ua: "tipline-test"}
}

func (c *client) do(method, path string, body io.Reader, contentType string) (*http.Response, string) {
	c.t.Helper()
	resp, page, err := c.send(method, path, body, contentType)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, page
}

// send is do for a goroutine other than the test's, which must not end the
// test (t.Fatal ends only the goroutine that calls it): it returns the error.
func (c *client) send(method, path string, body io.Reader, contentType string) (*http.Response, string, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func (c *client) get(path string) (*http.Response, string) { return c.do("GET", path, nil, "") }

func (c *client) postForm(path string, values map[string]string) (*http.Response, string) {
	return c.do("POST", path, formBody(values), formType)
}

const formType = "application/x-www-form-urlencoded"

func formBody(values map[string]string) io.Reader {
	var parts []string
	for k, v := range values {
		parts = append(parts, k+"="+urlEscape(v))
	}
	return strings.NewReader(strings.Join(parts, "&"))
}

func (c *client) postMultipart(path string, f form) (*http.Response, string) {
	body, ct := f.body()
	return c.do("POST", path, body, ct)
}

// submit sends a report and returns the receipt shown.
func (c *client) submit(path string, f form) string {
	c.t.Helper()
	resp, page := c.postMultipart(path, f)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("submit: %d\n%s", resp.StatusCode, page)
	}
	r := receiptOf(page)
	if r == "" {
		c.t.Fatalf("no receipt on the confirmation page:\n%s", page)
	}
	return r
}

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]*)</p>`)

func receiptOf(page string) string {
	m := receiptPattern.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// filesUnder returns every regular file under dir.
func filesUnder(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
