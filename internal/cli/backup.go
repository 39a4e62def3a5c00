package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"tipline/internal/audit"
	"tipline/internal/backup"
	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
)

func init() {
	register(command{name: "backup", order: 11, run: runBackup, usage: "" +
		"  tipline backup --data DIR [--db DSN] --to FILE [--recipient AGE_RECIPIENT]...\n" +
		"                         write the whole installation, online, to one file sealed to the recovery key"})
}

func runBackup(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", stderr)
	data := fs.String("data", "", "the data folder, with the key file (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	to := fs.String("to", "", "the backup file to create; never overwritten (required)")
	var more repeated
	fs.Var(&more, "recipient", "another age public key that may open the backup, besides the installation's recovery key (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *data == "" || *to == "" {
		return usageError{withHint(errors.New("--data and --to are required"), "tipline backup --data ./tipline-data --to /backups/tipline-$(date +%F).age")}
	}
	keys, err := install.Load(*data)
	if err != nil {
		return withHint(err, "--data must be the installation's data folder")
	}
	var extra []seal.Recipient
	for _, s := range more {
		r, err := seal.ParseRecipient(s)
		if err != nil {
			return usageError{withHint(fmt.Errorf("--recipient %q: %w", s, err), "give an age public key (age1pq1... or age1...)")}
		}
		extra = append(extra, r)
	}
	lowerPriority()
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
	if status.Current() != store.SchemaVersion() {
		return withHint(fmt.Errorf("the database's schema is %s, this binary's %s", status.Current(), store.SchemaVersion()),
			"back up with the tipline that serves this database (\"tipline version\" prints a binary's schema)")
	}
	recipients, err := backupRecipients(ctx, keys, st, extra)
	if err != nil {
		return err
	}
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		return err
	}
	// Recorded first, so that the backup holds the entry of its own making.
	if err := log.Record(ctx, audit.Event{Actor: "cli", Action: "backup", Detail: "to " + *to}); err != nil {
		return schemaHint(err)
	}
	f, err := os.OpenFile(*to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return withHint(fmt.Errorf("failed to create the backup file: %w", err), "name a new file: a backup never overwrites one")
	}
	sum, err := backup.Write(ctx, newBackupFile(f), backup.Source{Store: st, DataDir: *data}, recipients...)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*to)
		return withHint(err, "nothing was kept of the backup file; the installation is unchanged")
	}
	info, _ := os.Stat(*to)
	fmt.Fprintf(stdout, "Backup written to %s (%s), sealed to %d recipient(s).\n", *to, byteSize(info.Size()), len(recipients))
	printSummary(stdout, sum)
	fmt.Fprintf(stdout, "Keep the audit head away from the server: after a restore,\n"+
		"  tipline audit verify --data DIR --head %s\nproves the log came back whole.\n", sum.Audit.Head)
	return nil
}

// backupRecipients are the installation's recovery recipient in force and
// the extra ones: during a rotation of the recovery key, the retired
// recipient too, since the reports not yet rewrapped open only with it.
func backupRecipients(ctx context.Context, keys *install.Keys, st *store.Store, extra []seal.Recipient) ([]seal.Recipient, error) {
	rec, err := keys.RecoveryNow(ctx, st)
	if err != nil {
		return nil, err
	}
	recipients := []seal.Recipient{rec.Current}
	if from := rec.RotatingFrom; from != nil {
		if from.PostQuantum() != rec.Current.PostQuantum() {
			return nil, withHint(errors.New("a rotation of the recovery key from a "+kindOfKey(*from)+" key to a "+kindOfKey(rec.Current)+" one is in progress"),
				"finish it first (run tipline recovery rotate again): a backup taken now must open with either key, and one file cannot be sealed to both kinds")
		}
		recipients = append(recipients, *from)
	}
	for _, r := range extra {
		if r.PostQuantum() != rec.Current.PostQuantum() {
			return nil, usageError{withHint(fmt.Errorf("--recipient %s is %s, the installation's recovery key is not", r, kindOfKey(r)),
				"give keys of the recovery key's kind: a classic one would leave the backup open to a future quantum computer")}
		}
		recipients = append(recipients, r)
	}
	return recipients, nil
}

func kindOfKey(r seal.Recipient) string {
	if r.PostQuantum() {
		return "post-quantum"
	}
	return "classic"
}

func printSummary(w io.Writer, s backup.Summary) {
	fmt.Fprintf(w, "  schema:       %s (made on %s, %s)\n", s.Schema, s.Database, s.Created.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "  reports:      %d\n", s.Reports)
	fmt.Fprintf(w, "  users:        %d\n", s.Users)
	fmt.Fprintf(w, "  sealed data:  %d blobs, %s (reports, files, messages, notes)\n", s.Blobs, byteSize(s.Sealed))
	if s.BlobFiles > 0 || s.Database == "sqlite" {
		fmt.Fprintf(w, "  blob files:   %d\n", s.BlobFiles)
	}
	if len(s.ShreddedTips) > 0 {
		fmt.Fprintf(w, "  shredded while the backup ran, and left out: %d reports\n", len(s.ShreddedTips))
	}
	fmt.Fprintf(w, "  audit log:    %d entries, head %s\n", s.Audit.Entries, s.Audit.Head)
}

func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
