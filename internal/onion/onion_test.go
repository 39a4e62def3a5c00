package onion_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/onion"
	"tipline/internal/testenv"
	"tipline/internal/tortest"
)

type published struct {
	address string
	pow     bool
}

func publish(t *testing.T, ctx context.Context, cfg onion.Config) <-chan published {
	got := make(chan published, 4)
	cfg.Published = func(a string, pow bool) { got <- published{a, pow} }
	go onion.Publish(ctx, cfg)
	return got
}

func await(t *testing.T, got <-chan published) published {
	t.Helper()
	select {
	case p := <-got:
		return p
	case <-time.After(60 * time.Second):
		t.Fatal("Tor did not publish the onion service")
	}
	return published{}
}

var secret = bytes.Repeat([]byte{42}, 32)

// Tor makes the service at the address the key gives, with the
// proof-of-work defence; the key is kept sealed, so the address is the same
// after a restart of Tipline; and when Tor restarts, the service is asked
// for again.
func TestPublishesAStableOnionAndRepublishesAfterTorRestarts(t *testing.T) {
	tr := tortest.Start(t, "--CookieAuthentication", "1")
	keyPath := filepath.Join(t.TempDir(), onion.KeyFile)
	key, err := onion.LoadOrCreateKey(keyPath, secret)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := os.ReadFile(keyPath)
	if info, _ := os.Stat(keyPath); info.Mode().Perm() != 0o600 || len(sealed) == 0 {
		t.Fatalf("key file mode %v", info.Mode().Perm())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := publish(t, ctx, onion.Config{ControlAddr: tr.Control, Key: key, Target: "127.0.0.1:8080"})
	p := await(t, got)
	if p.address != key.Address() || onion.ValidAddress(p.address) != nil {
		t.Fatalf("Tor made %s, the key says %s", p.address, key.Address())
	}
	if !p.pow {
		t.Errorf("the proof-of-work defence is off with Tor 0.4.9:\n%s", tr.Log)
	}

	again, err := onion.LoadOrCreateKey(keyPath, secret)
	if err != nil || again.Address() != key.Address() {
		t.Fatalf("the address changed after a restart: %v", err)
	}
	if _, err := onion.LoadOrCreateKey(keyPath, bytes.Repeat([]byte{1}, 32)); err == nil {
		t.Fatal("the key opened with another installation's secret")
	}

	tr.Restart()
	if p := await(t, got); p.address != key.Address() {
		t.Fatalf("after Tor restarted: %s", p.address)
	}
}

// A control port that wants a password gets it; a Unix socket works too.
func TestPasswordAndUnixSocket(t *testing.T) {
	out, err := exec.Command(testenv.Need(t, "tor"), "--quiet", "--hash-password", "a control password").Output()
	if err != nil {
		t.Fatalf("tor --hash-password: %v", err)
	}
	hashed := strings.TrimSpace(string(out))
	sockDir := t.TempDir()
	os.Chmod(sockDir, 0o700) // Tor makes a control socket only in a private folder
	sock := filepath.Join(sockDir, "control.sock")
	tr := tortest.Start(t, "--HashedControlPassword", hashed, "--ControlSocket", sock)
	key, _ := onion.LoadOrCreateKey(filepath.Join(t.TempDir(), onion.KeyFile), secret)
	for _, addr := range []string{tr.Control, "unix:" + sock} {
		// One at a time: Tor refuses a second service at the same address.
		ctx, cancel := context.WithCancel(context.Background())
		got := publish(t, ctx, onion.Config{ControlAddr: addr, Password: "a control password", Key: key, Target: "127.0.0.1:8080"})
		if p := await(t, got); p.address != key.Address() {
			t.Fatalf("%s: %s", addr, p.address)
		}
		cancel()
	}
}

func TestValidAddress(t *testing.T) {
	key, _ := onion.LoadOrCreateKey(filepath.Join(t.TempDir(), onion.KeyFile), secret)
	good := key.Address()
	if err := onion.ValidAddress(good); err != nil {
		t.Fatal(err)
	}
	if err := onion.ValidAddress(strings.ToUpper(good[:56]) + ".onion"); err != nil {
		t.Fatalf("upper case: %v", err)
	}
	typo := []byte(good)
	if typo[10] == 'a' {
		typo[10] = 'b'
	} else {
		typo[10] = 'a'
	}
	for _, bad := range []string{"youronionaddress.onion", "expyuzz4wqqyqhjn.onion", string(typo), good[:56], good + ".evil.example", ""} {
		if err := onion.ValidAddress(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
