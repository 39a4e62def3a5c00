package e2e_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/store/storetest"
)

// init without an offline recipient leaves the recovery identity in the
// data folder; the real server says so as it starts, with what to do.
func TestServeWarnsOfTheRecoveryIdentityInTheDataFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	bin := buildTipline(t)
	b := storetest.Backends(t)[0]
	if out, err := exec.Command(bin, "init", "--data", b.DataDir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	srv := startTipline(t, bin, []string{"--data", b.DataDir})
	waitForOutput(t, srv, "SECURITY: a private key that opens every report is still on this server")
	out := srv.output()
	if !strings.Contains(out, filepath.Join(b.DataDir, "recovery-identity.txt")) || !strings.Contains(out, "offline storage") {
		t.Fatalf("the warning does not name the file and what to do:\n%s", out)
	}
}
