package e2e_test

import (
	"bytes"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"tipline/internal/onion"
	"tipline/internal/store/storetest"
	"tipline/internal/tortest"
)

var onionLine = regexp.MustCompile(`Onion service: http://([a-z2-7]{56}\.onion)/ \(proof-of-work defence on\)`)

// The real binary publishes its own onion service on a real Tor, prints
// the address, sends it as Onion-Location, and keeps the same address after
// a restart; --onion refuses a placeholder.
func TestServePublishesItsOwnOnion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	tr := tortest.Start(t, "--CookieAuthentication", "1")
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	if out, err := exec.Command(bin, "init", "--data", b.DataDir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	var addresses []string
	for range 2 {
		srv := startTipline(t, bin, []string{"--data", b.DataDir, "--tor-control", tr.Control})
		address := awaitOnionLine(t, srv)
		if err := onion.ValidAddress(address); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(srv.url + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Onion-Location"); !strings.HasPrefix(got, "http://"+address+"/") {
			t.Fatalf("Onion-Location %q, want the published %s", got, address)
		}
		addresses = append(addresses, address)
		srv.cmd.Process.Kill()
		srv.cmd.Wait()
	}
	if addresses[0] != addresses[1] {
		t.Fatalf("the address changed across restarts: %v", addresses)
	}

	cmd := exec.Command(bin, "serve", "--data", b.DataDir, "--onion", "youronionaddress.onion")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), "not a v3 onion address") {
		t.Fatalf("a placeholder --onion: %v\n%s", err, out.String())
	}
}

// awaitOnionLine waits for the server to print its onion address.
func awaitOnionLine(t *testing.T, srv *tiplineProcess) string {
	t.Helper()
	for start := time.Now(); time.Since(start) < 60*time.Second; time.Sleep(100 * time.Millisecond) {
		if m := onionLine.FindStringSubmatch(srv.output()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no onion address printed:\n%s", srv.output())
	return ""
}
