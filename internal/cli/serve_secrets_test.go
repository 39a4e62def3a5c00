package cli

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/install"
)

// serve warns at start, and again at every tick, while the recovery
// identity stays in the data folder, saying what to do; once it is gone,
// it is quiet.
func TestServeWarnsWhileTheRecoveryIdentityStays(t *testing.T) {
	dir := t.TempDir()
	if _, err := install.Init(context.Background(), install.Options{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, stop := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		warnSecretsLeftBehind(ctx, logger, dir, tick)
	}()
	tick <- time.Now() // taken once the check at start is done
	tick <- time.Now()
	stop()
	<-done // after the check of the second tick
	if warnings := strings.Count(logs.String(), "level=WARN"); warnings != 3 {
		t.Fatalf("want a warning at start and at each of two ticks, got %d:\n%s", warnings, logs.String())
	}
	for _, want := range []string{"SECURITY: a private key that opens every report is still on this server",
		filepath.Join(dir, install.RecoveryIdentityFile), "offline storage", "delete it here"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the warning does not say %q:\n%s", want, logs.String())
		}
	}

	if err := os.Remove(filepath.Join(dir, install.RecoveryIdentityFile)); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	warnSecretsLeftBehind(ctx, logger, dir, nil) // ctx has ended: one check
	if logs.Len() != 0 {
		t.Fatalf("a warning with the file gone: %s", logs.String())
	}
}
