package intake_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/receipt"
	"tipline/internal/seal"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// No plaintext of a report, message or file reaches the data folder, the
// database files (including SQLite's WAL), the temp directory or the logs;
// and neither the client's address nor its user agent is written anywhere.
func TestNothingIdentifyingOrPlainIsWritten(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b := storetest.Backends(t)[0]
	s := newSite(t, b, siteOptions{})
	const marker = "ZQX-PLAINTEXT-MARKER-7731"
	const agent = "ZQX-Unique-Agent/9.9 (marker)"
	c := s.client(t)
	c.ua = agent
	rcpt := c.submit("/submit", form{
		fields: [][2]string{{"category", "oil"}, {"message", "report " + marker}, {"where", "port " + marker},
			{"companies", marker + " Trading Co"}, {"send_others_as_is", "1"}},
		files: [][2]string{{"notes-" + marker + ".txt", "file text " + marker}, {"blob.bin", "\x00\x01binary " + marker}},
	})
	if resp, _ := c.postForm("/status", map[string]string{"receipt": rcpt}); resp.StatusCode != http.StatusOK {
		t.Fatal("login failed")
	}
	if resp, _ := c.postMultipart("/status/messages", form{fields: [][2]string{{"message", "reply " + marker}},
		files: [][2]string{{"more.txt", "more " + marker}}}); resp.StatusCode != http.StatusOK {
		t.Fatal("message failed")
	}
	c.get("/status")

	files := append(filesUnder(t, s.dataDir), filesUnder(t, tmp)...)
	if len(files) < 3 {
		t.Fatalf("expected the database files, found %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{marker, agent, "ZQX-Unique-Agent", "127.0.0.1"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s contains %q", f, secret)
			}
		}
	}
	for _, secret := range []string{marker, agent, "127.0.0.1"} {
		if strings.Contains(s.logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

var externalRef = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`)

// Source pages load no JavaScript and nothing from another origin, and send
// the protective headers; no cookie before a receipt login.
func TestSourcePagesHaveNoScriptAndProtectiveHeaders(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{onion: "tiplinexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"})
	c := s.client(t)
	check := func(name string, resp *http.Response, page string) {
		t.Helper()
		if strings.Contains(strings.ToLower(page), "<script") || strings.Contains(strings.ToLower(page), "javascript:") {
			t.Errorf("%s has script", name)
		}
		if externalRef.MatchString(page) {
			t.Errorf("%s refers to another origin: %s", name, externalRef.FindString(page))
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s CSP %q is not strict", name, csp)
		}
		for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
			if resp.Header.Get(h) != want {
				t.Errorf("%s: %s = %q", name, h, resp.Header.Get(h))
			}
		}
		if !strings.HasPrefix(resp.Header.Get("Onion-Location"), "http://tipline") {
			t.Errorf("%s lacks Onion-Location", name)
		}
	}
	for _, p := range []string{"/", "/ko/", "/zh/", "/ru/", "/submit", "/ko/submit", "/status", "/offers/" + s.offerID, "/no-such-page"} {
		resp, page := c.get(p)
		check(p, resp, page)
		if resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("GET %s set a cookie before any receipt login", p)
		}
	}
	body, ct := form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}}.body()
	resp, page := c.do("POST", "/submit", body, ct)
	check("confirmation", resp, page)
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Set-Cookie") != "" {
		t.Error("the receipt page must not be cached and must set no cookie")
	}
}

// A form posted from another site is refused (CSRF), without form tokens.
func TestCrossOriginPostsAreRefused(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	body, ct := form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}}.body()
	req, _ := http.NewRequest("POST", s.url+"/submit", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST answered %d", resp.StatusCode)
	}
	if n := storetest.TipCount(t, s.store); n != 0 {
		t.Fatal("a cross-site POST stored a tip")
	}
}

// The offline recovery identity alone opens a tip and its files: the key
// hierarchy of DESIGN.md, end to end.
func TestRecoveryIdentityOpensATip(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			rcpt := s.client(t).submit("/submit", form{
				fields: [][2]string{{"category", "weapons"}, {"message", "crates marked machine tools"}},
				files:  [][2]string{{"manifest.txt", "12 crates, consignee Tosong"}},
			})
			report, files := openAsRecovery(t, s, rcpt)
			if !strings.Contains(report.Message, "crates marked machine tools") || len(files) != 1 {
				t.Fatalf("recovery opened %+v", report)
			}
			if files[0] != "12 crates, consignee Tosong" {
				t.Fatalf("file opened to %q", files[0])
			}
		})
	}
}

// Too large an upload gets 413 and a page that says the limit; malformed
// multipart gets 400; neither leaves anything stored.
func TestUploadLimitsAndMalformedBodies(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{maxBytes: 64 << 10})
	c := s.client(t)
	resp, page := c.postMultipart("/submit", form{
		fields: [][2]string{{"category", "oil"}, {"message", "m"}},
		files:  [][2]string{{"big.txt", strings.Repeat("x", 100<<10)}},
	})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "64 KiB") {
		t.Fatalf("want 413 naming the limit, got %d:\n%s", resp.StatusCode, page)
	}
	resp, _ = c.do("POST", "/submit", strings.NewReader("--b\r\ngarbage without headers"), "multipart/form-data; boundary=b")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("malformed multipart: want 400, got %d", resp.StatusCode)
	}
	resp, _ = c.do("POST", "/submit", strings.NewReader("category=oil&message=m"), "application/x-www-form-urlencoded")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a non-multipart submission: want 400, got %d", resp.StatusCode)
	}
	if n, _ := s.store.StoredBytes(context.Background()); n != 0 {
		t.Fatalf("%d bytes left stored after refused uploads", n)
	}
}

// A body of several MiB is read ahead of the parser on a goroutine of its
// own; its files still arrive whole, with or without a declared length, and
// one over the limit is still refused with 413 and nothing stored.
func TestLargeUploadsArriveWholeOrAreRefused(t *testing.T) {
	var log strings.Builder
	for i := 0; log.Len() < 5<<20; i++ {
		// Lines that begin like a multipart boundary, to make the parser work.
		fmt.Fprintf(&log, "%07d ship-to-ship transfer logged\r\n--\r\n", i)
	}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			c := s.client(t)
			f := form{
				fields: [][2]string{{"category", "oil"}, {"message", "a month of deck logs"}},
				files:  [][2]string{{"deck-log.txt", log.String()}, {"note.txt", "see the 14th"}},
			}
			rcpt := c.submit("/submit", f)
			if _, files := openAsRecovery(t, s, rcpt); len(files) != 2 || files[0] != log.String() || files[1] != "see the 14th" {
				t.Fatalf("the files did not arrive whole: %d files", len(files))
			}
			body, ct := f.body()
			resp, page := c.do("POST", "/submit", io.MultiReader(body), ct) // no length: sent chunked
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("a chunked upload: %d\n%s", resp.StatusCode, page)
			}
			if _, files := openAsRecovery(t, s, receiptOf(page)); len(files) != 2 || files[0] != log.String() {
				t.Fatal("a chunked upload did not arrive whole")
			}
		})
	}
	s := newSite(t, storetest.Backends(t)[0], siteOptions{maxBytes: 2 << 20})
	resp, page := s.client(t).postMultipart("/submit", form{
		fields: [][2]string{{"category", "oil"}, {"message", "m"}},
		files:  [][2]string{{"deck-log.txt", log.String()}},
	})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "2 MiB") {
		t.Fatalf("want 413 naming the limit, got %d:\n%s", resp.StatusCode, page)
	}
	if n, _ := s.store.StoredBytes(context.Background()); n != 0 {
		t.Fatalf("%d bytes left stored after a refused upload", n)
	}
}

// A client that stops sending in the middle of a large body, after a part
// that is refused, still gets its answer: the goroutine reading the body
// ahead is not left waiting for bytes that will not come.
func TestAStalledLargeUploadIsAnswered(t *testing.T) {
	s := newSite(t, storetest.Backends(t)[0], siteOptions{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tooLong := strings.Repeat("x", 300_000) // over the field limit, and over one read-ahead buffer
	fmt.Fprintf(conn, "POST /submit HTTP/1.1\r\nHost: tipline\r\nContent-Type: multipart/form-data; boundary=B\r\n"+
		"Content-Length: %d\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n%s", 10<<20, tooLong)
	// ... and nothing more. A minute is only the test's own patience: the
	// answer comes at once or never.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("want 413 for the overlong field, got %d", resp.StatusCode)
	}
}

// 32 clients submitting at once all get receipts: the intake queues rather
// than fails.
func TestConcurrentSubmissionsAllSucceed(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b, siteOptions{})
			const clients, each = 32, 5
			var mu sync.Mutex
			seen := map[string]bool{}
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					c := s.client(t)
					for range each {
						body, ct := form{fields: [][2]string{{"category", "oil"}, {"message", "load"}}}.body()
						resp, page, err := c.send("POST", "/submit", body, ct)
						if err != nil {
							t.Error(err)
							return
						}
						r := receiptOf(page)
						mu.Lock()
						if resp.StatusCode != http.StatusOK || r == "" || seen[r] {
							t.Errorf("submission failed: %d %q", resp.StatusCode, r)
						}
						seen[r] = true
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if n := storetest.TipCount(t, s.store); n != clients*each {
				t.Fatalf("%d tips stored, want %d", n, clients*each)
			}
		})
	}
}

// openAsRecovery opens the tip behind a receipt with the recovery identity
// alone, as an operator would offline: its report and its files.
func openAsRecovery(t *testing.T, s *site, rcpt string) (tip.Report, []string) {
	t.Helper()
	ctx := context.Background()
	readings, err := receipt.Parse(rcpt)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := s.store.TipByReceipt(ctx, readings[0].LookupID())
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := s.store.WrappedKey(ctx, tp.ID, "recovery")
	if err != nil {
		t.Fatal(err)
	}
	key, err := seal.Unwrap(wrapped, s.recovery)
	if err != nil {
		t.Fatal(err)
	}
	var rep tip.Report
	sealed, _ := s.store.TipContent(ctx, tp.ID)
	plain, err := seal.OpenBytes(sealed, key)
	if err != nil {
		t.Fatalf("recovery could not open the report: %v", err)
	}
	if err := jsonUnmarshal(plain, &rep); err != nil {
		t.Fatalf("report: %v", err)
	}
	var files []string
	for _, f := range rep.Files {
		blob, err := s.store.OpenBlob(ctx, tp.ID, f.BlobID)
		if err != nil {
			t.Fatal(err)
		}
		r, err := seal.Open(blob.Reader(), key)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if _, err := got.ReadFrom(r); err != nil {
			t.Fatalf("file %s: %v", f.Name, err)
		}
		files = append(files, got.String())
	}
	return rep, files
}
