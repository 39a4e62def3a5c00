package e2e_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"tipline/internal/store/storetest"
)

// A stranger's attacks on the source site, and a source's, against the
// real binary: a flood of slow uploads, a form of 200 MB of text, and a
// receipt replying with files past the storage quota. Each fails, and a
// source is still served.
func TestHostileIntakeAttacksFail(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildTipline(t)
	srv := startInstalled(t, bin)
	t.Run("fields flood", func(t *testing.T) { fieldsFlood(t, srv) })
	t.Run("slow bodies", func(t *testing.T) { slowBodies(t, srv) })

	const quota = 256 << 10
	t.Run("message quota", func(t *testing.T) { messageQuota(t, bin, quota) })
}

// startInstalled initialises an installation and serves it with the
// binary.
func startInstalled(t *testing.T, bin string) *tiplineProcess {
	t.Helper()
	return startInstalledAt(t, bin, []string{"--data", storetest.Backends(t)[0].DataDir})
}

// startInstalledAt initialises the installation args name and serves it,
// with more flags for serve.
func startInstalledAt(t *testing.T, bin string, args []string, serveFlags ...string) *tiplineProcess {
	t.Helper()
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return startTipline(t, bin, append(args, serveFlags...))
}

// fieldsFlood sends a form of text fields only — 1,000 fields of 200 KB,
// 200 MB in all — and expects it refused with a page saying the text is too
// long, and the server's memory to stay about where it was.
func fieldsFlood(t *testing.T, srv *tiplineProcess) {
	before := procStatus(t, srv, "VmRSS")
	const fields, size = 1000, 200_000
	body := newFieldsFlood(fields, size)
	// Sent by hand: the server answers before the body's end and closes the
	// connection, and the answer must be read while the body is still being
	// written (Go's client may report the write's failure instead).
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /submit HTTP/1.1\r\nHost: tipline\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n", floodBoundary, body.length())
	go io.Copy(conn, body)
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the fields flood got no answer: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	after, peak := procStatus(t, srv, "VmRSS"), procStatus(t, srv, "VmHWM")
	t.Logf("fields flood of %d MB: %d, RSS %d MiB before, %d MiB after, peak %d MiB",
		fields*size/1_000_000, resp.StatusCode, before>>20, after>>20, peak>>20)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "text you wrote is too long") {
		t.Fatalf("the fields flood: want 413 saying the text is too long, got %d", resp.StatusCode)
	}
	if grew := peak - before; grew > 64<<20 {
		t.Fatalf("a fields flood took the server's memory from %d to %d MiB", before>>20, peak>>20)
	}
}

const floodBoundary = "flood-boundary"

// fieldsFlood is a multipart body of many text fields, made as it is read.
type fieldsFloodBody struct {
	part      []byte
	parts     int
	pending   []byte
	remaining int
}

func newFieldsFlood(parts, size int) *fieldsFloodBody {
	part := "--" + floodBoundary + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n" + strings.Repeat("x", size) + "\r\n"
	return &fieldsFloodBody{part: []byte(part), parts: parts, remaining: parts}
}

func (f *fieldsFloodBody) length() int64 {
	return int64(f.parts*len(f.part) + len("--"+floodBoundary+"--\r\n"))
}

func (f *fieldsFloodBody) Read(p []byte) (int, error) {
	if len(f.pending) == 0 {
		switch {
		case f.remaining > 0:
			f.pending = f.part
			f.remaining--
		case f.remaining == 0:
			f.pending = []byte("--" + floodBoundary + "--\r\n")
			f.remaining--
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// procStatus reads a size in bytes (VmRSS, VmHWM) of the server's process.
func procStatus(t *testing.T, srv *tiplineProcess, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", srv.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/PID/status", field)
	return 0
}
