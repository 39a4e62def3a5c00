package e2e_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// A stranger's attacks on the source site, against the real binary.
func TestHostileIntakeAttacksFail(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	args := []string{"--data", b.DataDir}
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	srv := startTipline(t, bin, args)

	t.Run("fields flood", func(t *testing.T) { fieldsFlood(t, srv) })
}

// fieldsFlood sends a form of text fields only — 1,000 fields of 200 KB,
// 200 MB in all — and expects it refused with a page saying the text is too
// long, and the server's memory to stay about where it was.
func fieldsFlood(t *testing.T, srv *tiplineProcess) {
	before := procStatus(t, srv, "VmRSS")
	const fields, size = 1000, 200_000
	body := newFieldsFlood(fields, size)
	req, err := http.NewRequest("POST", srv.url+"/submit", body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = body.length()
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+floodBoundary)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the fields flood got no answer: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	after, peak := procStatus(t, srv, "VmRSS"), procStatus(t, srv, "VmHWM")
	t.Logf("fields flood of %d MB (%d read): %d, RSS %d MiB before, %d MiB after, peak %d MiB",
		fields*size/1_000_000, body.sent/1_000_000, resp.StatusCode, before>>20, after>>20, peak>>20)
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
	sent      int64
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
	f.sent += int64(n)
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
