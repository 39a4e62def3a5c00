package cli

import (
	"context"

	"tipline/internal/seal"
)

// RotateRecoveryStoppingAfter runs what tipline recovery rotate runs, calls
// during after the first report is rewrapped, and stops the rotation (as
// Ctrl-C would) once stopAfter reports are.
func RotateRecoveryStoppingAfter(dataDir, identityFile, to string, stopAfter int, during func()) error {
	old, err := readIdentity(identityFile)
	if err != nil {
		return err
	}
	next, err := seal.ParseRecipient(to)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := openApp(ctx, dataDir, "")
	if err != nil {
		return err
	}
	defer a.Close()
	r := rotation{app: a, dataDir: dataDir, old: old, to: next, out: discard{}, rewrapped: func(n int) {
		if n == 1 {
			during()
		}
		if n == stopAfter {
			cancel()
		}
	}}
	return r.run(ctx)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
