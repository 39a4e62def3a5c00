package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"tipline/internal/audit"
	"tipline/internal/backup"
	"tipline/internal/store"
)

func init() {
	register(command{name: "restore", order: 12, run: runRestore, usage: "" +
		"  tipline restore --from FILE --identity FILE --data DIR [--db DSN]\n" +
		"                         restore a backup into an empty data folder (and empty PostgreSQL database)"})
}

func runRestore(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", stderr)
	from := fs.String("from", "", "the backup file (required)")
	identity := fs.String("identity", "", "a file holding an identity the backup is sealed to: the recovery identity (required)")
	data := fs.String("data", "", "the data folder to restore into: new or empty (required)")
	dsn := fs.String("db", "", "an empty PostgreSQL database to restore into; without it, SQLite in the data folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *from == "" || *identity == "" || *data == "" {
		return usageError{withHint(errors.New("--from, --identity and --data are required"),
			"tipline restore --from /backups/tipline.age --identity /media/usb/recovery.key --data ./tipline-data")}
	}
	key, err := readIdentity(*identity)
	if err != nil {
		return withHint(err, "--identity takes the offline recovery identity (or the identity of a --recipient the backup was made for)")
	}
	f, err := os.Open(*from)
	if err != nil {
		return withHint(fmt.Errorf("failed to open the backup: %w", err), "--from takes the file \"tipline backup --to\" wrote")
	}
	defer f.Close()
	ctx := context.Background()
	sum, err := backup.Restore(ctx, f, key, backup.Target{DataDir: *data, DSN: *dsn})
	if err != nil {
		return restoreHint(err, *data)
	}
	fmt.Fprintf(stdout, "Restored %s into %s", *from, *data)
	if *dsn != "" {
		fmt.Fprint(stdout, " and the PostgreSQL database of --db")
	}
	fmt.Fprintln(stdout, ".")
	printSummary(stdout, sum)
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.audit.Record(ctx, audit.Event{Actor: "cli", Action: "restore", Detail: fmt.Sprintf("from a backup made %s, head %s", sum.Created.Format("2006-01-02 15:04 UTC"), sum.Audit.Head)}); err != nil {
		return err
	}
	dbFlag := ""
	if *dsn != "" {
		dbFlag = " --db DSN"
	}
	fmt.Fprintf(stdout, "Check the audit log against the head you kept when the backup was made:\n"+
		"  tipline audit verify --data %s%s --head %s\n", *data, dbFlag, sum.Audit.Head)
	return nil
}

func restoreHint(err error, data string) error {
	var newer *store.SchemaNewerError
	switch {
	case errors.Is(err, backup.ErrWrongIdentity):
		return withHint(err, "use the installation's offline recovery identity, or the identity of a --recipient the backup was made for; nothing was restored")
	case errors.Is(err, backup.ErrDamaged):
		return withHint(err, "restore another backup (this file was changed or cut short); nothing was left in "+data)
	case errors.Is(err, backup.ErrTargetInUse):
		return withHint(err, "restore into a new or empty folder; to replace an installation, stop it and move its folder away first")
	case errors.Is(err, store.ErrNotEmpty):
		return withHint(err, "restore into an empty PostgreSQL database (createdb) or a new schema; nothing was restored")
	case errors.As(err, &newer):
		return withHint(err, "restore with the tipline that made the backup, or a newer one")
	}
	return withHint(err, "nothing was left in "+data+"; fix the cause and run the restore again")
}
