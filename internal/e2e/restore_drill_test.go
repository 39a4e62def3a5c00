package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
	"tipline/internal/tip"
)

// The restore drill: a backup taken from the real binary while sources keep
// submitting reports with files restores into SQLite and into PostgreSQL.
// On each restored installation every receipt issued before the backup
// started opens its report, every file opens byte for byte as stored, the
// users log in with their passphrases and second factors, and the audit log
// verifies up to the head the backup printed. No submission failed while the
// backup ran.
func TestRestoreDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildTipline(t)
	for _, from := range storetest.Backends(t) {
		t.Run("from_"+from.Name, func(t *testing.T) {
			args := dataArgs(from.DataDir, from.DSN)
			if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("init: %v\n%s", err, out)
			}
			analyst := cliAddUser(t, bin, args, "analyst", "analyst", "a passphrase for the drill")
			srv := startTipline(t, bin, args)

			load := startLoad(srv.url, 8)
			load.await(t, 40)
			before := load.receipts() // issued before the backup started
			file := filepath.Join(t.TempDir(), "drill.age")
			out, err := exec.Command(bin, append([]string{"backup", "--to", file}, args...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("backup: %v\n%s", err, out)
			}
			if during := len(load.receipts()) - len(before); during == 0 {
				t.Fatal("no receipt was issued while the backup ran: the drill did not overlap load and backup")
			}
			load.await(t, len(before)+20) // and load went on after it
			if failed := load.stop(); failed > 0 {
				t.Fatalf("%d submissions failed while the backup ran", failed)
			}
			m := regexp.MustCompile(`head ([0-9a-f]{64})`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("the backup printed no audit head:\n%s", out)
			}
			head := string(m[1])
			srv.cmd.Process.Signal(syscall.SIGTERM)
			srv.cmd.Wait()

			identity := filepath.Join(from.DataDir, "recovery-identity.txt")
			code := analyst.code(t) // one step, good once on each restored installation
			for _, to := range storetest.Backends(t) {
				t.Run("to_"+to.Name, func(t *testing.T) {
					data := filepath.Join(t.TempDir(), "restored")
					toArgs := dataArgs(data, to.DSN)
					if out, err := exec.Command(bin, append([]string{"restore", "--from", file, "--identity", identity}, toArgs...)...).CombinedOutput(); err != nil {
						t.Fatalf("restore: %v\n%s", err, out)
					}
					if out, err := exec.Command(bin, append([]string{"audit", "verify", "--head", head}, toArgs...)...).CombinedOutput(); err != nil {
						t.Fatalf("audit verify --head after the restore: %v\n%s", err, out)
					}
					checkFilesAsStored(t, from, storetest.Backend{DataDir: data, DSN: to.DSN}, identity, len(before))
					restored := startTipline(t, bin, toArgs)
					for _, r := range before {
						page, err := crashStatus(restored.url, r.receipt)
						if err != nil || !strings.Contains(page, r.nonce) {
							t.Fatalf("receipt of %q, issued before the backup, does not open its report after the restore (%v)", r.nonce, err)
						}
					}
					newDeskClient(t, restored.desk).login(t, analyst, code)
					restored.cmd.Process.Signal(syscall.SIGTERM)
					restored.cmd.Wait()
				})
			}
		})
	}
}

func dataArgs(data, dsn string) []string {
	args := []string{"--data", data}
	if dsn != "" {
		args = append(args, "--db", dsn)
	}
	return args
}

type issued struct{ receipt, nonce string }

// load is sources submitting reports with a file, as fast as the server
// answers, each answer's receipt kept.
type load struct {
	mu     sync.Mutex
	shown  []issued
	failed atomic.Int64
	done   chan struct{}
	wg     sync.WaitGroup
}

func startLoad(site string, clients int) *load {
	l := &load{done: make(chan struct{})}
	for i := range clients {
		l.wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-l.done:
					return
				default:
				}
				nonce := fmt.Sprintf("drill client %d report %d", i, n)
				r, err := crashSubmit(site, nonce)
				if err != nil {
					l.failed.Add(1)
					continue
				}
				l.mu.Lock()
				l.shown = append(l.shown, issued{r, nonce})
				l.mu.Unlock()
			}
		})
	}
	return l
}

func (l *load) receipts() []issued {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]issued(nil), l.shown...)
}

func (l *load) await(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); len(l.receipts()) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d receipts in a minute, waiting for %d", len(l.receipts()), n)
		}
	}
}

func (l *load) stop() int64 {
	close(l.done)
	l.wg.Wait()
	return l.failed.Load()
}

// checkFilesAsStored opens every restored tip with the recovery identity and
// compares its sealed content and file with the original installation's,
// byte for byte.
func checkFilesAsStored(t *testing.T, orig, restored storetest.Backend, identityFile string, atLeast int) {
	t.Helper()
	ctx := context.Background()
	idText, err := os.ReadFile(identityFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(idText)), "\n")
	recovery, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.Open(ctx, orig.DataDir, orig.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(ctx, restored.DataDir, restored.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ids, err := b.TipIDs(ctx)
	if err != nil || len(ids) < atLeast {
		t.Fatalf("%d tips restored (%v), %d receipts were issued before the backup", len(ids), err, atLeast)
	}
	for _, id := range ids {
		sealed, err := b.TipContent(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if orig, err := a.TipContent(ctx, id); err != nil || !bytes.Equal(orig, sealed) {
			t.Fatalf("tip %s: its sealed content differs from the original's (%v)", id, err)
		}
		wrapped, err := b.WrappedKey(ctx, id, "recovery")
		if err != nil {
			t.Fatal(err)
		}
		key, err := seal.Unwrap(wrapped, recovery)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := seal.OpenBytes(sealed, key)
		if err != nil {
			t.Fatal(err)
		}
		var rep tip.Report
		if err := json.Unmarshal(plain, &rep); err != nil || len(rep.Files) != 1 {
			t.Fatalf("tip %s: %v, %d files", id, err, len(rep.Files))
		}
		got, want := blobBytes(t, b, id, rep.Files[0].BlobID), blobBytes(t, a, id, rep.Files[0].BlobID)
		if !bytes.Equal(got, want) {
			t.Fatalf("tip %s: its file differs from the original's (%d and %d bytes)", id, len(got), len(want))
		}
		r, err := seal.Open(bytes.NewReader(got), key)
		if err != nil {
			t.Fatal(err)
		}
		if data, err := io.ReadAll(r); err != nil || !strings.HasPrefix(string(data), "evidence for ") {
			t.Fatalf("tip %s: its file does not open whole: %v", id, err)
		}
	}
}

func blobBytes(t *testing.T, s *store.Store, tipID, id string) []byte {
	t.Helper()
	blob, err := s.OpenBlob(context.Background(), tipID, id)
	if err != nil {
		t.Fatalf("tip %s: file %s: %v", tipID, id, err)
	}
	defer blob.Close()
	b, err := io.ReadAll(blob.Reader())
	if err != nil {
		t.Fatal(err)
	}
	return b
}
