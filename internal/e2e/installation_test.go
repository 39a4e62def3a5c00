package e2e_test

import (
	"os/exec"
	"testing"

	"tipline/internal/store/storetest"
)

// newInstallation builds the real binary and initialises an installation on
// SQLite with it, as an operator would; it returns the binary and the
// arguments that name the installation.
func newInstallation(t *testing.T) (bin string, b storetest.Backend, args []string) {
	t.Helper()
	bin = buildTipline(t)
	b = storetest.Backends(t)[0]
	args = []string{"--data", b.DataDir}
	if out, err := exec.Command(bin, append([]string{"init"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return bin, b, args
}
