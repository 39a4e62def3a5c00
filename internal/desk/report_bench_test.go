package desk_test

// Desk benchmarks through the real HTTP handler, in process, on a store of
// 100,000 tips (SQLite, and PostgreSQL when TIPLINE_TEST_POSTGRES is set):
//
//	go test ./internal/desk/ -run '^$' -bench Desk -benchtime 200x
//
// The report that is opened is a real one: submitted through the source
// site, sealed at intake to the analyst, with a file and a reply. Each GET
// decrypts it with the key from the analyst's session cookie and appends a
// "tip.read" entry to the audit log, as in production. The other 99,999 tips
// are bulk-committed with copies of that report's sealed content and wrapped
// keys, so that they too open, without sealing 100,000 reports.
//
// The figures are server time: the handler is called directly with an
// httptest.ResponseRecorder, with no network in between.

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
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
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

const deskBenchTips = 100_000

// deskBench is an installation with one real report among deskBenchTips.
type deskBench struct {
	handler http.Handler
	cookie  *http.Cookie
	report  string // the id of the real report
}

func BenchmarkDesk(b *testing.B) {
	if testing.Short() {
		b.Skip("seeding 100,000 tips is too heavy for -short")
	}
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			d := newDeskBench(b, be)
			b.Run("open-report", func(b *testing.B) {
				benchGet(b, d, "/tips/"+d.report, "Two tankers alongside off Nampo")
			})
			b.Run("queue-first-page", func(b *testing.B) { benchGet(b, d, "/tips", `href="/tips/`) })
			b.Run("queue-filtered", func(b *testing.B) {
				benchGet(b, d, "/tips?status=new&category=oil&hits=yes", `href="/tips/`)
			})
		})
	}
}

// benchGet measures GET path as the logged-in analyst, in milliseconds of
// server time per request.
func benchGet(b *testing.B, d *deskBench, path, want string) {
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(d.cookie)
		rec := httptest.NewRecorder()
		d.handler.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("GET %s: %d, and the page lacks %q:\n%.2000s", path, rec.Code, want, rec.Body.String())
	}
	for b.Loop() {
		if rec := get(); rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

func newDeskBench(b *testing.B, be storetest.Backend) *deskBench {
	ctx := context.Background()
	if _, err := install.Init(ctx, install.Options{DataDir: be.DataDir, DSN: be.DSN}); err != nil {
		b.Fatal(err)
	}
	keys, err := install.Load(be.DataDir)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, be.DataDir, be.DSN)
	if err != nil {
		b.Fatal(err)
	}
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	// Cheap argon2id: logging in is not what is measured.
	acct := &account.Service{Store: st, Hasher: auth.NewHasher(testParams, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{}), Now: func() time.Time { return now }}
	index, err := blind.New(keys.BlindIndexKey)
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	src, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: logger})
	if err != nil {
		b.Fatal(err)
	}
	dsk, err := desk.New(desk.Config{Store: st, Accounts: acct, Audit: log, Index: index, Logger: logger})
	if err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	go src.Run(runCtx)
	srcSrv := httptest.NewServer(src.Handler())
	b.Cleanup(func() { srcSrv.Close(); stop(); st.Close() })

	created, err := acct.Create(ctx, "kim", password, []tip.Role{tip.RoleAnalyst}, nil, "")
	if err != nil {
		b.Fatal(err)
	}
	totpKey, err := otp.NewKeyFromURL(created.TOTPURI)
	if err != nil {
		b.Fatal(err)
	}
	submitForBench(b, srcSrv.URL, "Two tankers alongside off Nampo at 03:10; the second one left without lights.")
	d := &deskBench{handler: dsk.Handler()}
	d.cookie = benchLogin(b, d.handler, "kim", totpKey.Secret(), now)
	ids, err := st.TipIDs(ctx)
	if err != nil || len(ids) != 1 {
		b.Fatalf("want the one submitted report, got %v, %v", ids, err)
	}
	d.report = ids[0]
	reply := httptest.NewRequest("POST", "/tips/"+d.report+"/messages",
		strings.NewReader(url.Values{"message": {"Which port did the second tanker leave from?"}}.Encode()))
	reply.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	reply.AddCookie(d.cookie)
	rec := httptest.NewRecorder()
	d.handler.ServeHTTP(rec, reply)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("reply: %d", rec.Code)
	}

	start := time.Now()
	seedCopies(b, st, d.report, created.User.Holder())
	b.Logf("%s: seeded %d tips in %v", be.Name, deskBenchTips-1, time.Since(start).Round(time.Millisecond))
	return d
}

// seedCopies commits deskBenchTips-1 tips that carry the real report's
// sealed content and wrapped keys, spread over statuses and categories.
func seedCopies(b *testing.B, st *store.Store, reportID, holder string) {
	ctx := context.Background()
	real, err := st.Tip(ctx, reportID)
	if err != nil {
		b.Fatal(err)
	}
	content, err := st.TipContent(ctx, reportID)
	if err != nil {
		b.Fatal(err)
	}
	wrapped := map[string][]byte{}
	for _, h := range []string{holder, "recovery"} {
		if wrapped[h], err = st.WrappedKey(ctx, reportID, h); err != nil {
			b.Fatal(err)
		}
	}
	statuses := []tip.Status{tip.StatusNew, tip.StatusTriage, tip.StatusInvestigating, tip.StatusCorroborated,
		tip.StatusReferred, tip.StatusClosedNoAction, tip.StatusClosedNoAction, tip.StatusClosedNoAction, tip.StatusClosedDup}
	rng := rand.New(rand.NewPCG(2026, 3))
	for left := deskBenchTips - 1; left > 0; {
		batch := make([]*store.NewTip, min(left, 5_000))
		for i := range batch {
			batch[i] = &store.NewTip{
				Tip: tip.Tip{ID: tip.NewID(), OfferID: real.OfferID, Category: tip.DPRKCategories[rng.IntN(len(tip.DPRKCategories))],
					Status: statuses[rng.IntN(len(statuses))], HasHits: rng.IntN(100) < 8,
					// Older than the real report, which stays on the first page.
					ReceivedAt: real.ReceivedAt.Add(-time.Duration(1+rng.IntN(3*365*24)) * time.Hour)},
				ReceiptLookup: tip.NewID(),
				WrappedKeys:   wrapped,
				Content:       content,
			}
		}
		if err := st.CommitTips(ctx, batch); err != nil {
			b.Fatal(err)
		}
		left -= len(batch)
	}
}

func submitForBench(b *testing.B, base, message string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "ship_to_ship")
	mw.WriteField("message", message)
	fw, _ := mw.CreateFormFile("attachment", "bridge-log.txt")
	io.WriteString(fw, "03:10 hoses connected\n03:55 hoses off\n")
	mw.Close()
	resp, err := http.Post(base+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !receiptPattern.Match(page) {
		b.Fatalf("submit: %d", resp.StatusCode)
	}
}

var deskCookie = regexp.MustCompile(`^tipline_desk=`)

func benchLogin(b *testing.B, h http.Handler, name, secret string, now time.Time) *http.Cookie {
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"name": {name}, "password": {password}, "code": {code}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if deskCookie.MatchString(c.String()) && c.Value != "" {
			return c
		}
	}
	b.Fatalf("login: %d, no session cookie", rec.Code)
	return nil
}
