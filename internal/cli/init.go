package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"tipline/internal/install"
)

func init() {
	register(command{name: "init", order: 2, run: runInit, usage: "" +
		"  tipline init --data DIR [--db DSN] [--recovery-recipient age1...]\n" +
		"                         create an installation"})
}

func runInit(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := newFlagSet("init", stdout)
	data := fs.String("data", "", "the data folder to create (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	recovery := fs.String("recovery-recipient", "", "the offline recovery key's public key (age1...); without it, one is generated")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return usageError{withHint(errors.New("--data is required"), "tipline init --data ./tipline-data")}
	}
	return initialise(context.Background(), stdout, install.Options{DataDir: *data, DSN: *dsn, RecoveryRecipient: *recovery})
}

func initialise(ctx context.Context, stdout io.Writer, opt install.Options) error {
	res, err := install.Init(ctx, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created a Tipline installation in %s.\n", opt.DataDir)
	if res.OfferID != "" {
		fmt.Fprintf(stdout, "Created the default offer \"North Korea sanctions evasion\" (id %s).\n", res.OfferID)
	}
	if res.ClassicRecovery {
		fmt.Fprintf(stdout, "\nWARNING: the recovery recipient is a classic age1... key: reports wrapped to it could be\n"+
			"opened by a future quantum computer from a seized database. Prefer a post-quantum one\n"+
			"(age1pq1...), made offline with \"tipline keygen -o FILE\" (or age-keygen -pq).\n")
	}
	if res.RecoveryIdentityPath != "" {
		fmt.Fprintf(stdout, "\nIMPORTANT: a new recovery identity was written to\n  %s\n"+
			"It opens every report. Move it to offline storage now (e.g. an encrypted USB key in a safe)\n"+
			"and delete it from this machine. Better: generate one offline with \"tipline keygen -o FILE\"\n"+
			"and pass its public key to \"tipline init --recovery-recipient age1pq1...\".\n", res.RecoveryIdentityPath)
	}
	return nil
}
