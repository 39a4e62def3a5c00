package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/testenv"
	"tipline/internal/web"
)

// chromiumPath is Debian's Chromium, the browser CI installs.
const chromiumPath = "/usr/bin/chromium"

// A cheap phone's screen, in CSS pixels: every source page must be usable at
// this width without sideways scrolling.
const phoneWidth, phoneHeight = 360, 740

// browserTimeout bounds everything one browser does in a test.
const browserTimeout = 60 * time.Second

// sampleReceipt replaces the real, random receipt in receipt-en.png, so that
// the committed screenshot changes only when the page does. The words are from
// the EFF list, as a real receipt's are.
const sampleReceipt = "anchor harbor lantern copper velvet canopy quarry pebble"

// englishReceiptWord is one word of an English receipt: the EFF list, hyphens removed.
var englishReceiptWord = regexp.MustCompile(`^[a-z]+$`)

func TestSourcePagesInEveryLanguageFitAPhone(t *testing.T) {
	t.Parallel()
	ctx := newPhoneBrowser(t) // first: it skips when there is no Chromium
	site := startSourceSite(t)
	catalogs := sourceCatalogs(t)
	for _, tc := range []struct {
		lang   string
		letter *unicode.RangeTable // the script the page must be written in
	}{
		{"en", unicode.Latin},
		{"ko", unicode.Hangul},
		{"zh", unicode.Han},
		{"ru", unicode.Cyrillic},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			l := catalogs.For(tc.lang)
			browserVisit(t, ctx, site+l.Path("/"))
			checkSourcePage(t, ctx)
			if got := browserRun(t, ctx, "read the lang attribute", chromedp.Evaluate[string]("document.documentElement.lang")); got != l.Lang.HTML {
				t.Errorf("<html lang=%q>, want %q", got, l.Lang.HTML)
			}
			h1 := strings.TrimSpace(browserRun(t, ctx, "read the heading", chromedp.TextContent(chromedp.CSS("main h1"))))
			if want := l.T("landing_title"); h1 != want {
				t.Errorf("heading %q, want %q", h1, want)
			}
			if !strings.ContainsFunc(h1, func(r rune) bool { return unicode.Is(tc.letter, r) }) {
				t.Errorf("heading %q has no letter of the page's language", h1)
			}
			saveScreenshot(t, ctx, "landing-"+tc.lang+".png", phoneWidth)

			// The other pages a source opens without a receipt must fit too.
			for _, path := range []string{"/submit", "/status"} {
				browserVisit(t, ctx, site+l.Path(path))
				checkSourcePage(t, ctx)
			}
		})
	}
}

func TestSourceSendsAReportWithAFileAndComesBack(t *testing.T) {
	t.Parallel()
	ctx := newPhoneBrowser(t) // first: it skips when there is no Chromium
	site := startSourceSite(t)
	en := sourceCatalogs(t).For("en")

	const message = "Coal moved from the Example Star to a tanker at night, 12 km off Nampo. [e2e-marker-7f3a]"
	const fileName = "ship-sighting.txt"
	file := filepath.Join(t.TempDir(), fileName)
	if err := os.WriteFile(file, []byte("Photos to follow; the tanker's name was painted over.\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	browserVisit(t, ctx, site+"/submit")
	checkSourcePage(t, ctx)
	browserDo(t, ctx, "fill the report form",
		chromedp.SetValue(chromedp.ID("category"), "ship_to_ship"),
		chromedp.SendKeys(chromedp.ID("message"), message),
		chromedp.SendKeys(chromedp.CSS(`input[name="vessel_name"]`), "Example Star"),
		chromedp.SendKeys(chromedp.CSS(`input[name="vessel_imo"]`), "9074729"), // a valid check digit
		chromedp.SendKeys(chromedp.CSS(`input[name="vessel_mmsi"]`), "445123456"),
		chromedp.SendKeys(chromedp.CSS(`input[name="vessel_flag"]`), "Sierra Leone"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][name="attachment"]`), []string{file}),
		chromedp.Click(chromedp.CSS(`input[name="wants_reward"]`)),
	)
	if !browserRun(t, ctx, "read the reward checkbox", chromedp.JavascriptAttribute[bool](chromedp.CSS(`input[name="wants_reward"]`), "checked")) {
		t.Fatal("clicking the wants_reward checkbox did not tick it")
	}
	checkSourcePage(t, ctx)
	saveScreenshot(t, ctx, "submit-en.png", phoneWidth)

	clickSubmit(t, ctx, "send the report")
	receipt := browserRun(t, ctx, "read the receipt", chromedp.TextContent(chromedp.ID("receipt")))
	words := strings.Fields(receipt)
	if len(words) != 8 {
		t.Fatalf("receipt %q has %d words, want 8", receipt, len(words))
	}
	if receipt != strings.Join(words, " ") {
		t.Errorf("#receipt holds %q: want the eight words, one space apart, and nothing else", receipt)
	}
	for _, w := range words {
		if !englishReceiptWord.MatchString(w) {
			t.Errorf("receipt word %q is not a lower-case word", w)
		}
	}
	confirmation := pageMainText(t, ctx)
	for _, want := range []string{en.T("confirm_title"), fileName} {
		if !strings.Contains(confirmation, want) {
			t.Errorf("confirmation page lacks %q:\n%s", want, confirmation)
		}
	}
	checkSourcePage(t, ctx)
	browserDo(t, ctx, "put the sample receipt in the page", chromedp.SetJavascriptAttribute(chromedp.ID("receipt"), "textContent", sampleReceipt))
	saveScreenshot(t, ctx, "receipt-en.png", phoneWidth)

	browserVisit(t, ctx, site+"/status")
	checkSourcePage(t, ctx)
	browserDo(t, ctx, "type the receipt", chromedp.SendKeys(chromedp.ID("receipt-input"), receipt))
	clickSubmit(t, ctx, "open the report with the receipt")
	if got := strings.TrimSpace(browserRun(t, ctx, "read the status", chromedp.TextContent(chromedp.ID("status")))); got != en.T("public_received") {
		t.Errorf("status %q, want %q", got, en.T("public_received"))
	}
	if got := strings.TrimSpace(browserRun(t, ctx, "read the reward", chromedp.TextContent(chromedp.ID("reward")))); got != en.T("reward_under_review") {
		t.Errorf("reward %q, want %q", got, en.T("reward_under_review"))
	}
	report := pageMainText(t, ctx)
	for _, want := range []string{message, en.T("cat_ship_to_ship"), "Example Star", "9074729", fileName} {
		if !strings.Contains(report, want) {
			t.Errorf("status page lacks %q:\n%s", want, report)
		}
	}
	checkSourcePage(t, ctx)
	saveScreenshot(t, ctx, "status-en.png", phoneWidth)
}

// startSourceSite makes a new installation in a temporary folder and serves its
// source site, with the committer running, until the test ends.
func startSourceSite(t *testing.T) string {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	recovery, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := install.Init(ctx, install.Options{DataDir: dir, RecoveryRecipient: recovery.Recipient().String()}); err != nil {
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
	srv, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	// The HTTP server stops first, then the committer, then the store.
	runCtx, stopRun := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		srv.Run(runCtx)
	}()
	t.Cleanup(func() { stopRun(); <-stopped })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// newPhoneBrowser starts a headless Chromium of its own with JavaScript off
// and a phone's screen, and returns the context of its one tab.
func newPhoneBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.SkipOrFail(t, "Debian's Chromium is not at %s (apt-get install chromium)", chromiumPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	ctx, cancelBrowser := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelBrowser) // waits for Chromium to exit, before its profile folder is removed
	ctx, closeTab := chromedp.NewContext(ctx)
	t.Cleanup(closeTab)

	// Script execution is a setting of the tab, kept across navigations:
	// turn it off before the first page loads, as Tor Browser at "Safest".
	browserDo(t, ctx, "start Chromium")
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	browserDo(t, ctx, "emulate a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	checkScriptsOff(t, ctx)
	return ctx
}

// probePage has a script that would change its title and a <noscript> that
// is only parsed into elements when scripting is off.
const probePage = `<!doctype html><title>scripts off</title>
<script>document.title = "scripts on"</script>
<noscript><p id="noscript">no script</p></noscript>`

// checkScriptsOff proves that pages in the tab run no script. The layout
// checks and the receipt reading below evaluate expressions through the
// DevTools protocol (Runtime.evaluate), which still works when the page's own
// scripts are disabled; the probe shows that the page's scripts do not run.
func checkScriptsOff(t *testing.T, ctx context.Context) {
	t.Helper()
	probe := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(probePage))
	}))
	defer probe.Close()
	browserVisit(t, ctx, probe.URL)
	if title := browserRun(t, ctx, "read the probe's title", chromedp.Title()); title != "scripts off" {
		t.Fatalf("JavaScript is not disabled: the probe page's script ran (title %q)", title)
	}
	if !browserRun(t, ctx, "look for the probe's <noscript> content", chromedp.Evaluate[bool](`document.getElementById("noscript") !== null`)) {
		t.Fatal("JavaScript is not disabled: the probe page's <noscript> content was not parsed")
	}
}

// checkSourcePage checks what every source page promises on a phone: no
// script element at all, and nothing wider than the screen.
func checkSourcePage(t *testing.T, ctx context.Context) {
	t.Helper()
	if n := browserRun(t, ctx, "count script elements", chromedp.Evaluate[int](`document.getElementsByTagName("script").length`)); n != 0 {
		t.Errorf("the page has %d <script> elements, want none", n)
	}
	if w := browserRun(t, ctx, "measure the page width", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > phoneWidth {
		t.Errorf("the page is %d pixels wide on a %d-pixel screen: it scrolls sideways", w, phoneWidth)
	}
}

// browserVisit loads a page and fails the test unless it answers 200.
func browserVisit(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	resp := browserRun(t, ctx, "open "+url, chromedp.NavigateResponse(url))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.Status, pageMainText(t, ctx))
	}
}

// clickSubmit clicks the submit button of the page's form, as a source would, and
// waits for the answer, which must be 200.
func clickSubmit(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", what, resp.Status, pageMainText(t, ctx))
	}
}

func pageMainText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browserRun(t, ctx, "read the page", chromedp.TextContent(chromedp.CSS("main")))
}

// saveScreenshot writes a full-page PNG of the tab, width pixels wide, to
// docs/screenshots/ at the module root, leaving an identical file untouched,
// when TIPLINE_UPDATE_SCREENSHOTS is set (the README's pictures are renewed
// with: TIPLINE_UPDATE_SCREENSHOTS=1 go test ./internal/e2e/).
func saveScreenshot(t *testing.T, ctx context.Context, name string, width float64) {
	t.Helper()
	png := browserRun(t, ctx, "take a screenshot", fullPagePNG(width))
	// The README's screenshots are renewed on request only: a test run
	// must not change the files it was run from.
	if os.Getenv("TIPLINE_UPDATE_SCREENSHOTS") == "" {
		return
	}
	dir := filepath.Join(browserModuleRoot(t), "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fullPagePNG captures the whole page at a width. The clip comes from the
// layout as it is now: chromedp.FullScreenshot sizes the picture from the
// last frame drawn, which after a change to the page (the sample receipt, the
// masked ids) can be the old, taller one.
func fullPagePNG(width float64) func(ctx context.Context, tab *chromedp.Target) ([]byte, error) {
	return func(ctx context.Context, tab *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, tab, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		clip := &page.Viewport{Width: width, Height: math.Ceil(m.CSSContentSize.Height), Scale: 1}
		shot, err := cdp.Call(ctx, tab, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, Clip: clip, CaptureBeyondViewport: new(true),
		})
		return shot.Data, err
	}
}

func browserModuleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

func sourceCatalogs(t *testing.T) web.Catalogs {
	t.Helper()
	c, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browserRun runs one browser action and fails the test, saying what it was doing,
// if the action fails or the browser's time runs out.
func browserRun[T any](t *testing.T, ctx context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s: the browser's %v ran out", what, browserTimeout)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func browserDo(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browserRun(t, ctx, what, chromedp.Steps(actions...))
}
