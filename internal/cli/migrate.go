package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"tipline/internal/install"
	"tipline/internal/store"
)

func init() {
	register(command{name: "migrate", order: 9, run: runMigrate, usage: "" +
		"  tipline migrate --status --data DIR [--db DSN]\n" +
		"                         show the database's schema and the migrations this binary would apply\n" +
		"  tipline migrate --data DIR [--db DSN]\n" +
		"                         apply them now (serve applies them when it starts)"})
}

func runMigrate(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr)
	data := fs.String("data", "", "the data folder, with the key file (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	statusOnly := fs.Bool("status", false, "show the schema and the pending migrations, and change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *data == "" {
		return usageError{withHint(errors.New("--data is required"), "tipline migrate --status --data ./tipline-data")}
	}
	st, err := openExisting(*data, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	status, err := st.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	printSchemaStatus(stdout, status)
	if len(status.Unknown) > 0 {
		return schemaHint(&store.SchemaNewerError{Database: status.Current(), Binary: store.SchemaVersion(), Unknown: status.Unknown})
	}
	if *statusOnly || len(status.Pending) == 0 {
		return nil
	}
	applied, err := st.Migrate(ctx)
	for _, v := range applied {
		fmt.Fprintf(stdout, "applied %s\n", v)
	}
	if err != nil {
		return withHint(err, "each migration is its own transaction: the database is at the last one applied; restore the backup taken before the upgrade if in doubt")
	}
	fmt.Fprintf(stdout, "schema now %s\n", store.SchemaVersion())
	return nil
}

func printSchemaStatus(w io.Writer, status store.SchemaStatus) {
	current := status.Current()
	if current == "" {
		current = "(empty database)"
	}
	fmt.Fprintf(w, "database schema: %s (%d migrations applied)\n", current, len(status.Applied))
	fmt.Fprintf(w, "this binary:     %s\n", store.SchemaVersion())
	switch {
	case len(status.Unknown) > 0:
		fmt.Fprintf(w, "newer than this binary: %s\n", strings.Join(status.Unknown, ", "))
	case len(status.Pending) > 0:
		fmt.Fprintf(w, "pending: %s\n", strings.Join(status.Pending, ", "))
	default:
		fmt.Fprintln(w, "up to date")
	}
}

// openExisting opens an installation's database without migrating it, and
// without creating an SQLite file in a folder that has none.
func openExisting(data, dsn string) (*store.Store, error) {
	if _, err := install.Load(data); err != nil {
		return nil, withHint(err, "--data must be the installation's data folder")
	}
	if dsn == "" {
		if _, err := os.Stat(filepath.Join(data, store.DBFile)); err != nil {
			return nil, withHint(fmt.Errorf("%s has no database: %w", data, err), "with PostgreSQL, give its DSN with --db")
		}
	}
	return store.OpenUnmigrated(data, dsn)
}

// schemaHint tells the operator what to do about a database that a newer
// binary migrated.
func schemaHint(err error) error {
	var newer *store.SchemaNewerError
	if !errors.As(err, &newer) {
		return err
	}
	return withHint(err, "run the tipline that migrated it (\"tipline version\" prints a binary's schema), or restore the backup taken before the upgrade with this one")
}
