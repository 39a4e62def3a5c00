package e2e_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tipline/internal/testenv"
)

// A full disk, on a small real file system (a loop-mounted ext4 image) that
// holds the data folder, against the real binary. Under serve --min-free a
// report that would leave less is refused before it is received, and
// /readyz says so; a report that fills the disk anyway — mid-upload, or at
// the database's commit with the reserve off — gets the same localised 507
// page. Never a 500, never a receipt for a report not committed; what was
// staged is gone; every receipt shown before still opens; the database
// passes PRAGMA integrity_check; and once room is freed reports are taken
// again, without a restart.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server on a file system it mounts")
	}
	mnt := smallFileSystem(t, 96<<20)
	bin := buildTipline(t)
	data := filepath.Join(mnt, "data")
	args := []string{"--data", data}
	vessels := "../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html"
	testenv.NeedFile(t, vessels)
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "lists", "import", "--data", data, vessels).CombinedOutput(); err != nil {
		t.Fatalf("lists import: %v\n%s", err, out)
	}
	filler := filepath.Join(mnt, "filler")
	var receipts []shownReceipt

	t.Run("reserve", func(t *testing.T) {
		const reserve = 8 << 20
		metricsAddr := freeAddr(t)
		srv := startTipline(t, bin, append(args, "--min-free", fmt.Sprint(reserve), "--metrics", metricsAddr))
		readyz := "http://" + metricsAddr + "/readyz"
		receipts = append(receipts, mustSubmit(t, srv.url, "before the disk filled", 1<<20))

		leaveFree(t, mnt, filler, reserve+3<<20)
		// 4 MiB declared into 3 MiB above the reserve: refused unread.
		expectNoRoom(t, srv.url, "ko", "a report too large for the room left", 4<<20, true)
		receipts = append(receipts, mustSubmit(t, srv.url, "one that fits above the reserve", 1<<20))
		if status, body := get(t, readyz); status != http.StatusOK {
			t.Fatalf("/readyz above the reserve: %d %s", status, body)
		}
		// A body of unknown length is admitted, and meets the full disk
		// halfway through.
		leaveFree(t, mnt, filler, reserve+1<<20)
		expectNoRoom(t, srv.url, "ru", "a chunked upload past the disk's end", 16<<20, false)
		checkNothingStaged(t, data)

		source := loggedInSource(t, srv.url, receipts[0].receipt)
		leaveFree(t, mnt, filler, reserve/2)
		if status, page := sourceReply(t, source, srv.url, "ru"); status != http.StatusInsufficientStorage || !isNoRoomPage(page, "ru") {
			t.Fatalf("a source's reply under the reserve: %d, want 507 with the ru page saying there is no room:\n%s", status, page)
		}
		if status, body := get(t, readyz); status != http.StatusServiceUnavailable || !strings.Contains(body, "--min-free") {
			t.Fatalf("/readyz under the reserve: %d %s", status, body)
		}
		expectNoRoom(t, srv.url, "zh", "a text-only report under the reserve", 0, true)
		checkReceiptsOpen(t, srv.url, receipts)

		os.Remove(filler)
		time.Sleep(time.Second) // the free space is read at most once a second
		if status, body := get(t, readyz); status != http.StatusOK {
			t.Fatalf("/readyz once room was freed: %d %s", status, body)
		}
		receipts = append(receipts, mustSubmit(t, srv.url, "once room was freed", 1<<20))
		stopTipline(t, srv)
	})

	t.Run("no reserve", func(t *testing.T) {
		srv := startTipline(t, bin, append(args, "--min-free", "0"))
		// The disk fills while a file is being received, and a reader
		// holds the database's log from being reused, so that the log must
		// grow: the database has no room to delete the file's staging row.
		// The file must go all the same.
		reader := holdLog(t, data)
		fileFillsTheDisk(t, srv.url, data, filler)
		checkNothingStaged(t, data)
		reader.Rollback()

		fillUp(t, filler)
		expectNoRoom(t, srv.url, "en", "a report with a file on a full disk", 2<<20, true)
		checkNothingStaged(t, data)
		// Text-only reports go to the database alone: its write-ahead log
		// may still have room for some; the rest meet SQLITE_FULL.
		refused := 0
		for i := 0; refused < 3 && i < 500; i++ {
			nonce := fmt.Sprintf("text-only report %d on a full disk", i)
			status, page := submitReport(t, srv.url, "en", nonce+" "+strings.Repeat("ledger line ", 4000), 0, true)
			switch {
			case status == http.StatusOK:
				r := receiptPattern(page)
				if r == "" {
					t.Fatalf("200 without a receipt:\n%s", page)
				}
				receipts = append(receipts, shownReceipt{r, nonce})
			case status == http.StatusInsufficientStorage && isNoRoomPage(page, "en"):
				refused++
			default:
				t.Fatalf("%s: %d\n%s\nserver log:\n%s", nonce, status, page, srv.output())
			}
		}
		if refused < 3 {
			t.Fatal("the database never ran out of room")
		}
		t.Logf("on the full disk, %d text-only reports were taken before %d were refused", len(receipts)-3, refused)
		checkNothingStaged(t, data)
		checkReceiptsOpen(t, srv.url, receipts)

		os.Remove(filler)
		receipts = append(receipts, mustSubmit(t, srv.url, "after the full disk, without a restart", 1<<20))
		checkReceiptsOpen(t, srv.url, receipts)
		if strings.Contains(srv.output(), "level=ERROR") {
			t.Errorf("a full disk was logged as an internal error:\n%s", srv.output())
		}
		stopTipline(t, srv)
		checkIntegrity(t, data)
	})
}

type shownReceipt struct{ receipt, nonce string }

// loggedInSource is a source's browser logged in with a receipt.
func loggedInSource(t *testing.T, site, receipt string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	source := &http.Client{Jar: jar}
	resp, err := source.PostForm(site+"/status", url.Values{"receipt": {receipt}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return source
}

// sourceReply sends a reply with a small file from a logged-in source.
func sourceReply(t *testing.T, source *http.Client, site, lang string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("message", "more of the ledger")
	w, _ := mw.CreateFormFile("attachment", "ledger.txt")
	io.WriteString(w, strings.Repeat("a ledger line\n", 1000))
	mw.Close()
	resp, err := source.Post(site+"/"+lang+"/status/messages", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// smallFileSystem mounts a fresh ext4 image of size bytes, with no blocks
// reserved for root (the server runs as root here), and returns where.
func smallFileSystem(t *testing.T, size int64) string {
	t.Helper()
	mkfs, err := exec.LookPath("mkfs.ext4")
	if err != nil {
		mkfs = "/usr/sbin/mkfs.ext4" // root's tool, off a user's PATH
		if _, err := os.Stat(mkfs); err != nil {
			mkfs = testenv.Need(t, "mkfs.ext4")
		}
	}
	if os.Geteuid() != 0 {
		testenv.SkipOrFail(t, "mounting a loop device needs root")
	}
	dir := t.TempDir()
	img, mnt := filepath.Join(dir, "disk.img"), filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, size); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, "-q", "-F", "-m", "0", img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4: %v\n%s", err, out)
	}
	if out, err := exec.Command("mount", "-o", "loop", img, mnt).CombinedOutput(); err != nil {
		testenv.SkipOrFail(t, "cannot mount a loop device here: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v\n%s", err, out)
			exec.Command("umount", "-l", mnt).Run()
		}
	})
	return mnt
}

func freeBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * st.Bsize
}

// leaveFree sizes the filler file so that about left bytes stay free.
func leaveFree(t *testing.T, mnt, filler string, left int64) {
	t.Helper()
	os.Remove(filler)
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if take := freeBytes(t, mnt) - left; take > 0 {
		if err := syscall.Fallocate(int(f.Fd()), 0, 0, take); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second) // the server reads the free space at most once a second
}

// fillUp grows the filler until the file system has no block left.
func fillUp(t *testing.T, filler string) {
	t.Helper()
	leaveFree(t, filepath.Dir(filler), filler, 1<<20) // the file's extent tree needs blocks too
	f, err := os.OpenFile(filler, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Sync()
	if free := freeBytes(t, filepath.Dir(filler)); free >= 4096 {
		t.Fatalf("%d bytes still free", free)
	}
}

// submitReport sends a report in lang with a file of fileSize bytes (none
// for 0); declared false sends it chunked, its length unknown.
func submitReport(t *testing.T, site, lang, nonce string, fileSize int, declared bool) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", nonce)
	if fileSize > 0 {
		w, _ := mw.CreateFormFile("attachment", "ledger.bin")
		chunk := bytes.Repeat([]byte{0x5a}, 64<<10)
		for n := 0; n < fileSize; n += len(chunk) {
			w.Write(chunk[:min(len(chunk), fileSize-n)])
		}
	}
	mw.Close()
	path := "/submit"
	if lang != "en" {
		path = "/" + lang + "/submit"
	}
	resp, err := postEarlyReading(site, path, mw.FormDataContentType(), buf.Bytes(), declared, nil)
	if err != nil {
		t.Fatalf("%s: %v", nonce, err)
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", nonce, err)
	}
	return resp.StatusCode, string(page)
}

// postEarlyReading posts body over a connection of its own and reads the
// response while the body is still being sent, as browsers do: a page sent
// before the whole body, refusing it, is what the source sees. (Go's client
// gives up on the response once a write fails.) declared false sends the
// body chunked, its length unknown.
//
// midway, when not nil, is called once half the body is sent.
func postEarlyReading(site, path, contentType string, body []byte, declared bool, midway func()) (*http.Response, error) {
	addr := strings.TrimPrefix(site, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	go func() {
		w := bufio.NewWriterSize(conn, 64<<10)
		fmt.Fprintf(w, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", path, addr, contentType)
		if declared {
			fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(body))
			w.Write(body)
		} else {
			fmt.Fprintf(w, "Transfer-Encoding: chunked\r\n\r\n")
			half := len(body) / 2
			for len(body) > 0 {
				if midway != nil && len(body) <= half {
					w.Flush()
					midway()
					midway = nil
				}
				n := min(len(body), 64<<10)
				fmt.Fprintf(w, "%x\r\n", n)
				w.Write(body[:n])
				w.WriteString("\r\n")
				body = body[n:]
			}
			w.WriteString("0\r\n\r\n")
		}
		w.Flush() // a write refused once the server has answered is no error here
	}()
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	resp.Body = readCloser{resp.Body, conn}
	return resp, nil
}

// readCloser closes the connection with the response's body.
type readCloser struct {
	io.Reader
	conn net.Conn
}

func (r readCloser) Close() error { return r.conn.Close() }

func receiptPattern(page string) string {
	if m := crashReceiptPattern.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

func mustSubmit(t *testing.T, site, nonce string, fileSize int) shownReceipt {
	t.Helper()
	status, page := submitReport(t, site, "en", nonce, fileSize, true)
	r := receiptPattern(page)
	if status != http.StatusOK || r == "" {
		t.Fatalf("%s: %d\n%s", nonce, status, page)
	}
	return shownReceipt{r, nonce}
}

// noRoomText is a phrase of the page in each language, written here rather
// than read from the catalogs under test.
var noRoomText = map[string]string{
	"en": "cannot store anything more",
	"ko": "저장할 수 없습니다",
	"zh": "无法再存储任何内容",
	"ru": "не может сохранить ничего больше",
}

func isNoRoomPage(page, lang string) bool {
	return strings.Contains(page, `<html lang="`+lang) && strings.Contains(page, noRoomText[lang]) && receiptPattern(page) == ""
}

// expectNoRoom sends a report and expects the 507 page in lang, with no
// receipt.
func expectNoRoom(t *testing.T, site, lang, nonce string, fileSize int, declared bool) {
	t.Helper()
	status, page := submitReport(t, site, lang, nonce, fileSize, declared)
	if status != http.StatusInsufficientStorage || !isNoRoomPage(page, lang) {
		t.Fatalf("%s: %d, want 507 with the %s page saying there is no room:\n%s", nonce, status, lang, page)
	}
}

// checkNothingStaged fails if the blob folder holds a file that no report
// adopted: what a refused upload staged must be gone at once, not at the
// sweep hours later.
func checkNothingStaged(t *testing.T, data string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "tipline.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	adopted := map[string]bool{}
	rows, err := db.Query(`SELECT id FROM blobs WHERE in_file = 1 AND tip_id IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		adopted[id] = true
	}
	rows.Close()
	entries, err := os.ReadDir(filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !adopted[e.Name()] {
			t.Errorf("blob file %s left behind by a refused upload", e.Name())
		}
	}
}

// fileFillsTheDisk sends a report with a file in two halves, chunked, and
// fills the disk in between, once the server has begun the file; it
// expects the 507 page.
func fileFillsTheDisk(t *testing.T, site, data, filler string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", "a file the disk fills under")
	w, _ := mw.CreateFormFile("attachment", "ledger.bin")
	w.Write(bytes.Repeat([]byte{0x5a}, 8<<20))
	mw.Close()
	midway := func() {
		deadline := time.Now().Add(20 * time.Second)
		for !stagingBegun(data) {
			if time.Now().After(deadline) {
				t.Error("the server did not begin the file")
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		f, err := os.OpenFile(filler, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		block := make([]byte, 4096)
		for {
			if _, err := f.Write(block); err != nil {
				break
			}
		}
		f.Sync()
	}
	resp, err := postEarlyReading(site, "/ko/submit", mw.FormDataContentType(), buf.Bytes(), false, midway)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusInsufficientStorage || !isNoRoomPage(string(page), "ko") {
		t.Fatalf("a file the disk filled under: %d, want 507 with the ko page saying there is no room:\n%s", resp.StatusCode, page)
	}
}

// stagingBegun reports whether a blob file of a megabyte or more is being
// written.
func stagingBegun(data string) bool {
	entries, _ := os.ReadDir(filepath.Join(data, "blobs"))
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Size() >= 1<<20 && time.Since(info.ModTime()) < 5*time.Second {
			return true
		}
	}
	return false
}

// holdLog opens a read transaction on the installation's database, which
// keeps SQLite from starting its write-ahead log over: until it ends,
// every commit appends to the log.
func holdLog(t *testing.T, data string) *sql.Tx {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "tipline.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM tips`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return tx
}

func checkReceiptsOpen(t *testing.T, site string, receipts []shownReceipt) {
	t.Helper()
	for _, r := range receipts {
		page, err := crashStatus(site, r.receipt)
		if err != nil || !strings.Contains(page, r.nonce) {
			t.Fatalf("the receipt for %q does not open its report (%v):\n%s", r.nonce, err, page)
		}
	}
}

func checkIntegrity(t *testing.T, data string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "tipline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		t.Fatalf("PRAGMA integrity_check: %q %v", result, err)
	}
}

func stopTipline(t *testing.T, srv *tiplineProcess) {
	t.Helper()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.cmd.Wait()
}
