package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The server is killed with SIGKILL in the middle of concurrent submissions.
// After a restart, every receipt a client was shown opens its report, and
// every stored tip opens whole: a tip is committed with its receipt, or not
// at all.
func TestKilledServerKeepsEveryReceiptItShowed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := buildTipline(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			args := []string{"--data", b.DataDir}
			if b.DSN != "" {
				args = append(args, "--db", b.DSN)
			}
			if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			srv := startTipline(t, bin, args)

			type shown struct{ receipt, nonce string }
			var mu sync.Mutex
			var receipts []shown
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Go(func() {
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						nonce := fmt.Sprintf("client %d report %d", i, n)
						r, err := crashSubmit(srv.url, nonce)
						if err != nil {
							return // the server is gone
						}
						mu.Lock()
						receipts = append(receipts, shown{r, nonce})
						mu.Unlock()
					}
				})
			}
			deadline := time.Now().Add(20 * time.Second)
			for {
				mu.Lock()
				n := len(receipts)
				mu.Unlock()
				if n >= 150 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			srv.cmd.Process.Signal(syscall.SIGKILL)
			srv.cmd.Wait()
			close(stop)
			wg.Wait()
			if len(receipts) < 20 {
				t.Fatalf("only %d receipts before the kill", len(receipts))
			}

			srv = startTipline(t, bin, args)
			for _, r := range receipts {
				page, err := crashStatus(srv.url, r.receipt)
				if err != nil || !strings.Contains(page, r.nonce) {
					t.Fatalf("receipt %q shown before the kill does not open its report after restart (%v)", r.receipt, err)
				}
			}
			srv.cmd.Process.Signal(syscall.SIGTERM)
			srv.cmd.Wait()
			checkEveryTipOpensWhole(t, b, len(receipts))
		})
	}
}

// checkEveryTipOpensWhole opens every stored tip and its file with the
// recovery identity.
func checkEveryTipOpensWhole(t *testing.T, b storetest.Backend, atLeast int) {
	ctx := context.Background()
	idText, err := os.ReadFile(filepath.Join(b.DataDir, "recovery-identity.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(idText)), "\n")
	recovery, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, b.DataDir, b.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids, err := st.TipIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < atLeast {
		t.Fatalf("%d tips stored, fewer than the %d receipts shown", len(ids), atLeast)
	}
	for _, id := range ids {
		wrapped, err := st.WrappedKey(ctx, id, "recovery")
		if err != nil {
			t.Fatalf("tip %s has no recovery key: %v", id, err)
		}
		key, err := seal.Unwrap(wrapped, recovery)
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := st.TipContent(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := seal.OpenBytes(sealed, key)
		if err != nil {
			t.Fatalf("tip %s content does not open: %v", id, err)
		}
		var rep tip.Report
		if err := json.Unmarshal(plain, &rep); err != nil || len(rep.Files) != 1 {
			t.Fatalf("tip %s: %v, %d files", id, err, len(rep.Files))
		}
		blob, err := st.OpenBlob(ctx, id, rep.Files[0].BlobID)
		if err != nil {
			t.Fatalf("tip %s file missing: %v", id, err)
		}
		r, err := seal.Open(blob.Reader(), key)
		if err != nil {
			t.Fatal(err)
		}
		if data, err := io.ReadAll(r); err != nil || !strings.HasPrefix(string(data), "evidence for ") {
			t.Fatalf("tip %s file is incomplete: %v", id, err)
		}
	}
}

type tiplineProcess struct {
	cmd  *exec.Cmd
	url  string      // the source site
	desk string      // the desk
	out  *syncBuffer // what the process printed (its log)
}

// output is what the process has printed so far.
func (p *tiplineProcess) output() string { return p.out.String() }

// syncBuffer is a buffer the process writes to while the test reads it.
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

func startTipline(t *testing.T, bin string, args []string) *tiplineProcess {
	t.Helper()
	public, desk := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, append([]string{"serve", "--public", public, "--desk", desk}, args...)...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &tiplineProcess{cmd: cmd, url: "http://" + public, desk: "http://" + desk, out: out}
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.url + "/"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	t.Fatalf("server did not start:\n%s", out.String())
	return nil
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

var crashReceiptPattern = regexp.MustCompile(`<p id="receipt">([^<]*)</p>`)

func crashSubmit(base, nonce string) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("category", "oil")
	mw.WriteField("message", nonce)
	w, _ := mw.CreateFormFile("attachment", "evidence.txt")
	fmt.Fprintf(w, "evidence for %s\n%s", nonce, strings.Repeat("log line\n", 500))
	mw.Close()
	resp, err := http.Post(base+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := crashReceiptPattern.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("submit: %d", resp.StatusCode)
	}
	return string(m[1]), nil
}

func crashStatus(base, receipt string) (string, error) {
	resp, err := http.PostForm(base+"/status", url.Values{"receipt": {receipt}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return string(page), err
}

// buildTipline builds the tipline command once per test binary.
func buildTipline(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tipline-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "tipline")
		out, err := exec.Command("go", "build", "-o", builtBin, "tipline/cmd/tipline").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)
