package e2e_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	"tipline/internal/tip"
)

// An analyst's laptop: the desk is worked at a desk, not on a phone.
const deskWidth, deskHeight = 1280, 900

// deskPassword passes the password policy; every desk user in the test has it.
const deskPassword = "correct horse battery staple"

// Volatile text on desk pages is replaced by these before a screenshot, so
// that a committed picture changes only when the page does.
const (
	sampleID       = "01sampleid0000000000000000" // 26 characters, as a real id
	sampleDateTime = "2026-01-15 09:30"
	sampleHour     = "2026-01-15 09h"
)

// testArgon2 keeps logins fast; production uses auth.DefaultParams.
var testArgon2 = auth.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

// A source reports with a photo; in Chromium with JavaScript off, an analyst
// logs in with password and TOTP code, finds the report in the queue, reads
// it with its file and the file's metadata note, changes its status with the
// select and sends a reply, which the source then reads with the receipt. An
// admin, in the same browser, sees the users and is refused the report.
func TestAnalystWorksAReportInTheBrowser(t *testing.T) {
	t.Parallel()
	ctx := newDeskBrowser(t) // first: it skips when there is no Chromium
	inst := startBothSites(t)
	analyst := inst.addUser(t, "kim", tip.RoleAnalyst)
	admin := inst.addUser(t, "root", tip.RoleAdmin)

	const message = "Two tankers alongside off Nampo at 03:10, hoses connected. [desk-e2e-4c1d]"
	const fileName = "deck-photo.png"
	const photoAuthor = "Ri Chol"
	receipt := inst.submit(t, message, fileName, photoWithAuthor(t, photoAuthor))

	// Log in with the real form.
	deskLogin(t, ctx, inst.desk, analyst, "desk-login.png")
	if got := browserRun(t, ctx, "read the address", chromedp.Location()); got != inst.desk+"/tips" {
		t.Fatalf("an analyst lands on %s, want the queue", got)
	}

	// The queue lists the report; its link opens it.
	checkDeskPage(t, ctx)
	links := browserRun(t, ctx, "read the queue's links", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#queue a[href^='/tips/']"), a => a.getAttribute("href"))`))
	if len(links) != 1 {
		t.Fatalf("the queue has %d report links, want 1: %q\n%s", len(links), links, pageMainText(t, ctx))
	}
	reportPath := links[0]
	id := strings.TrimPrefix(reportPath, "/tips/")
	if !tipID.MatchString(id) {
		t.Fatalf("queue link %q is not /tips/{id}", reportPath)
	}
	maskVolatile(t, ctx)
	saveScreenshot(t, ctx, "desk-queue.png", deskWidth)
	clickAndLand(t, ctx, "open the report from the queue", `#queue a[href="`+reportPath+`"]`, reportPath)

	// The report page: text, status select, file link and metadata note.
	checkDeskPage(t, ctx)
	if got := strings.TrimSpace(browserRun(t, ctx, "read the report text", chromedp.TextContent(chromedp.ID("report-message")))); got != message {
		t.Errorf("report text %q, want %q", got, message)
	}
	if got := browserRun(t, ctx, "read the status", chromedp.Value(chromedp.CSS(`select[name="status"]`))); got != "new" {
		t.Errorf("a new report's status is %q, want new", got)
	}
	fileLinks := browserRun(t, ctx, "read the file links", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("main a[href*='/files/']"), a => a.getAttribute("href") + " " + a.textContent)`))
	if len(fileLinks) != 1 || !strings.HasPrefix(fileLinks[0], reportPath+"/files/") || !strings.HasSuffix(fileLinks[0], " "+fileName) {
		t.Errorf("file links %q, want one under %s/files/ named %s", fileLinks, reportPath, fileName)
	}
	// The source site strips the author from the photo and says so.
	if main := pageMainText(t, ctx); !strings.Contains(main, photoAuthor) || !strings.Contains(main, "removed") {
		t.Errorf("the report page lacks the file's metadata note (the author %q, removed):\n%s", photoAuthor, main)
	}

	// Change the status with the select and its button.
	browserDo(t, ctx, "choose a status", chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "investigating"))
	clickAndLand(t, ctx, "change the status", `form[action$="/status"] button[type="submit"]`, reportPath)
	if got := browserRun(t, ctx, "read the new status", chromedp.Value(chromedp.CSS(`select[name="status"]`))); got != "investigating" {
		t.Errorf("after the change the status is %q, want investigating", got)
	}
	if main := pageMainText(t, ctx); !strings.Contains(main, "new -> investigating") || !strings.Contains(main, "the source sees under review") {
		t.Errorf("the report page does not show the change to investigating (seen by the source as under_review):\n%s", main)
	}

	// Reply to the source with the message form.
	const reply = "Thank you. Which port did the second tanker leave from?"
	browserDo(t, ctx, "write the reply", chromedp.SendKeys(chromedp.ID("message"), reply))
	clickAndLand(t, ctx, "send the reply", `form[action$="/messages"] button[type="submit"]`, reportPath)
	replies := browserRun(t, ctx, "read the messages", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("main .message.desk .pre"), p => p.textContent)`))
	if len(replies) != 1 || replies[0] != reply {
		t.Errorf("desk messages on the report page %q, want [%q]", replies, reply)
	}
	checkDeskPage(t, ctx)
	maskVolatile(t, ctx)
	saveScreenshot(t, ctx, "desk-report.png", deskWidth)

	// The source, with the receipt, sees the reply and the public state.
	status := sourceStatusPage(t, inst.source, receipt)
	if !strings.Contains(status, reply) || !strings.Contains(status, `id="status">under review<`) || strings.Contains(status, "investigating") {
		t.Errorf("the source should see the reply and 'under review', never 'investigating':\n%s", status)
	}

	// Log out with the header's button, then in as the admin.
	clickAndLand(t, ctx, "log out", `header form[action="/logout"] button[type="submit"]`, "/login?out=1")
	deskLogin(t, ctx, inst.desk, admin, "")
	if got := browserRun(t, ctx, "read the address", chromedp.Location()); got != inst.desk+"/admin/users" {
		t.Fatalf("an admin lands on %s, want /admin/users", got)
	}
	checkDeskPage(t, ctx)
	users := browserRun(t, ctx, "read the users", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#users tr td:first-child"), td => td.textContent)`))
	if strings.Join(users, " ") != "kim root" {
		t.Errorf("/admin/users lists %q, want kim and root", users)
	}
	saveScreenshot(t, ctx, "desk-users.png", deskWidth)

	resp := browserRun(t, ctx, "open the report as the admin", chromedp.NavigateResponse(inst.desk+reportPath))
	if resp.Status != http.StatusForbidden {
		t.Errorf("the admin opened the report: %d, want 403", resp.Status)
	}
	if main := pageMainText(t, ctx); strings.Contains(main, message[:20]) || strings.Contains(main, fileName) {
		t.Errorf("the admin's refusal shows report content:\n%s", main)
	}
}

var tipID = regexp.MustCompile(`^[a-z0-9]{26}$`)

// installation is a real Tipline with both sites served over HTTP and one
// store behind them.
type installation struct {
	source, desk string
	accounts     *account.Service
}

// startBothSites makes a new installation in a temporary folder and serves
// its source site, with the committer running, and its desk until the test
// ends.
func startBothSites(t *testing.T) *installation {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	if _, err := install.Init(ctx, install.Options{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	keys, err := install.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	index, err := blind.New(keys.BlindIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	accounts := &account.Service{Store: st, Hasher: auth.NewHasher(testArgon2, 2), Throttle: auth.NewThrottle(auth.ThrottleConfig{})}
	src, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	dsk, err := desk.New(desk.Config{Store: st, Accounts: accounts, Audit: log, Index: index, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	// The HTTP servers stop first, then the committer, then the store.
	runCtx, stopRun := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		src.Run(runCtx)
	}()
	t.Cleanup(func() { stopRun(); <-stopped })
	srcSrv, deskSrv := httptest.NewServer(src.Handler()), httptest.NewServer(dsk.Handler())
	t.Cleanup(srcSrv.Close)
	t.Cleanup(deskSrv.Close)
	return &installation{source: srcSrv.URL, desk: deskSrv.URL, accounts: accounts}
}

// deskUser is a desk account and the secret of its authenticator app.
type deskUser struct{ name, totpSecret string }

// addUser creates an account as `tipline user add` does: an analyst without
// offers receives every offer.
func (inst *installation) addUser(t *testing.T, name string, roles ...tip.Role) deskUser {
	t.Helper()
	created, err := inst.accounts.Create(t.Context(), name, deskPassword, roles, nil, "")
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	key, err := otp.NewKeyFromURL(created.TOTPURI)
	if err != nil {
		t.Fatal(err)
	}
	return deskUser{name, key.Secret()}
}

var receiptParagraph = regexp.MustCompile(`<p id="receipt">([^<]*)</p>`)

// submit sends a report with one file to the source site, as the report
// form does, and returns the receipt.
func (inst *installation) submit(t *testing.T, message, fileName string, file []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("category", "ship_to_ship")
	mw.WriteField("message", message)
	fw, err := mw.CreateFormFile("attachment", fileName)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	resp, err := http.Post(inst.source+"/submit", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	m := receiptParagraph.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("submit: %d, no receipt\n%s", resp.StatusCode, page)
	}
	return string(m[1])
}

// sourceStatusPage is what the source sees after typing the receipt.
func sourceStatusPage(t *testing.T, site, receipt string) string {
	t.Helper()
	resp, err := http.PostForm(site+"/status", url.Values{"receipt": {receipt}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /status: %d\n%s", resp.StatusCode, page)
	}
	return string(page)
}

// photoWithAuthor is a small PNG with an Author text chunk, the kind of
// metadata the source site removes and reports to the desk.
func photoWithAuthor(t *testing.T, author string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(0, 0, color.RGBA{R: 0xff, A: 0xff})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	// A tEXt chunk goes after IHDR: the 8-byte signature, then IHDR's
	// length, type, 13 bytes of data and CRC.
	const afterIHDR = 8 + 4 + 4 + 13 + 4
	data := append([]byte("Author\x00"), author...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	encoded := buf.Bytes()
	return bytes.Join([][]byte{encoded[:afterIHDR], chunk, encoded[afterIHDR:]}, nil)
}

// newDeskBrowser is the source test's browser, JavaScript off and checked,
// with a laptop's screen instead of a phone's: no mobile layout, no touch.
func newDeskBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := newPhoneBrowser(t)
	browserDo(t, ctx, "emulate a laptop", chromedp.EmulateViewport(deskWidth, deskHeight))
	return ctx
}

// deskLogin opens /login on the desk at site, types u's name, password and
// current code into the form and clicks its button; given a screenshot name,
// it saves the empty form first.
func deskLogin(t *testing.T, ctx context.Context, site string, u deskUser, screenshot string) {
	t.Helper()
	browserVisit(t, ctx, site+"/login")
	checkDeskPage(t, ctx)
	if screenshot != "" {
		saveScreenshot(t, ctx, screenshot, deskWidth)
	}
	code, err := totp.GenerateCode(u.totpSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	browserDo(t, ctx, "fill the login form",
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), u.name),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), deskPassword),
		chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
	)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type="submit"]`)))
	if err != nil {
		t.Fatalf("log in as %s: %v", u.name, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("log in as %s: %d %s", u.name, resp.Status, pageMainText(t, ctx))
	}
}

// clickAndLand clicks the element, waits for the page it leads to, and fails
// unless that page answers 200 at path (after any redirects).
func clickAndLand(t *testing.T, ctx context.Context, what, selector, path string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", what, resp.Status, pageMainText(t, ctx))
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.RequestURI(); got != path {
		t.Fatalf("%s: landed on %s, want %s", what, got, path)
	}
}

// checkDeskPage checks what every desk page promises: no script element, and
// nothing wider than a laptop's screen.
func checkDeskPage(t *testing.T, ctx context.Context) {
	t.Helper()
	if n := browserRun(t, ctx, "count script elements", chromedp.Evaluate[int](`document.getElementsByTagName("script").length`)); n != 0 {
		t.Errorf("the desk page has %d <script> elements, want none", n)
	}
	if w := browserRun(t, ctx, "measure the page width", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > deskWidth {
		t.Errorf("the desk page is %d pixels wide on a %d-pixel screen: it scrolls sideways", w, deskWidth)
	}
}

// maskVolatile replaces, in the text of the page's main part, every id (of
// the report, users, messages: 26 letters and digits) and every time with a
// fixed sample. Only text changes; links and forms keep working. Like the
// source test's sample receipt, it goes through DevTools, not a page script.
func maskVolatile(t *testing.T, ctx context.Context) {
	t.Helper()
	browserRun(t, ctx, "mask ids and times", chromedp.Evaluate[bool](maskScript))
}

const maskScript = `(() => {
	const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		n.nodeValue = n.nodeValue
			.replace(/\b[a-z0-9]{26}\b/g, "` + sampleID + `")
			.replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?/g, "` + sampleDateTime + `")
			.replace(/\d{4}-\d{2}-\d{2} \d{2}h/g, "` + sampleHour + `");
	}
	return true;
})()`
