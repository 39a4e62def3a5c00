package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"tipline/internal/reward"
)

func init() {
	register(command{name: "rewards", order: 6, run: runRewards, usage: "" +
		"  tipline rewards verify --data DIR [--db DSN]\n" +
		"                         check that the rewards ledger reconciles"})
}

func runRewards(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError{withHint(errors.New("unknown or missing rewards command"), "tipline rewards verify --data DIR")}
	}
	fs := newFlagSet("rewards verify", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return usageError{withHint(errors.New("--data is required"), "tipline rewards verify --data ./tipline-data")}
	}
	ctx := context.Background()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	problems, n, err := reward.Verify(ctx, a.store)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		return withHint(fmt.Errorf("the rewards ledger does not reconcile: %d %s in %d %s", len(problems), plural(len(problems), "problem"), n, plural(n, "reward")),
			"Tipline refuses each of these as it is recorded, so the database was changed behind its back: compare the rewards named above with the payment records, and run tipline audit verify")
	}
	fmt.Fprintf(stdout, "rewards ledger reconciles: %d %s\n", n, plural(n, "reward"))
	return nil
}

// plural writes a noun for a count.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
