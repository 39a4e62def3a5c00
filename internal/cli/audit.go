package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"tipline/internal/audit"
	"tipline/internal/install"
	"tipline/internal/store"
)

func init() {
	register(command{name: "audit", order: 8, run: runAudit, usage: "" +
		"  tipline audit verify --data DIR [--db DSN] [--head HASH] [--anchors FILE]\n" +
		"                         check that the audit log is intact (and reaches HASH, and holds\n" +
		"                         every head that serve --audit-anchor wrote to FILE)\n" +
		"  tipline audit head --data DIR [--db DSN]\n" +
		"                         print the audit log's head hash, to keep off the server"})
}

func runAudit(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{withHint(errors.New("audit needs a subcommand"), "tipline audit verify --data DIR, or tipline audit head --data DIR")}
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(args[1:], stdout, stderr)
	case "head":
		return runAuditHead(args[1:], stdout, stderr)
	}
	return usageError{withHint(fmt.Errorf("unknown audit subcommand %q", args[0]), "tipline audit verify, or tipline audit head")}
}

func runAuditVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit verify", stderr)
	data := fs.String("data", "", "the data folder, with the key file (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	head := fs.String("head", "", "a head recorded earlier with \"tipline audit head\": the chain must reach it")
	anchorFile := fs.String("anchors", "", "the file serve --audit-anchor appends to: the chain must hold every head in it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := auditArgs(fs.Args(), *data, "verify"); err != nil {
		return err
	}
	if b, err := hex.DecodeString(*head); err != nil || (*head != "" && len(b) != sha256.Size) {
		return usageError{withHint(fmt.Errorf("--head %q is not a head", *head), "--head takes the 64 hex digits that \"tipline audit head\" printed")}
	}
	var anchors []audit.Anchor
	if *anchorFile != "" {
		var err error
		if anchors, err = audit.ReadAnchorFile(*anchorFile); err != nil {
			return withHint(err, "--anchors takes the file that serve --audit-anchor writes")
		}
	}
	rep, err := verifyAudit(context.Background(), *data, *dsn, *head, anchors)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries, head %s\n", rep.Entries, rep.Head)
	if *anchorFile != "" {
		fmt.Fprintf(stdout, "it holds all %d anchors of %s\n", len(anchors), *anchorFile)
	}
	return nil
}

// runAuditHead prints the head only once the chain verifies, so that an
// operator never records the head of a chain someone has already rewritten.
func runAuditHead(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit head", stderr)
	data := fs.String("data", "", "the data folder, with the key file (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := auditArgs(fs.Args(), *data, "head"); err != nil {
		return err
	}
	rep, err := verifyAudit(context.Background(), *data, *dsn, "", nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, rep.Head)
	return nil
}

func auditArgs(rest []string, data, sub string) error {
	if len(rest) > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", rest[0])}
	}
	if data == "" {
		return usageError{withHint(errors.New("--data is required"), "tipline audit "+sub+" --data ./tipline-data")}
	}
	return nil
}

// verifyAudit opens the installation and verifies its chain, turning damage
// into an error that names the first bad entry and says what to do.
func verifyAudit(ctx context.Context, data, dsn, head string, anchors []audit.Anchor) (audit.Report, error) {
	keys, err := install.Load(data)
	if err != nil {
		return audit.Report{}, withHint(err, "--data must be the installation's data folder: the audit key is in its key file")
	}
	st, err := store.Open(ctx, data, dsn)
	if err != nil {
		return audit.Report{}, schemaHint(err)
	}
	defer st.Close()
	log, err := audit.New(st, keys.AuditKey)
	if err != nil {
		return audit.Report{}, err
	}
	rep, err := log.VerifyAnchors(ctx, head, anchors)
	var d *audit.Damage
	if !errors.As(err, &d) {
		if errors.Is(err, audit.ErrAnchorNotSigned) {
			err = withHint(err, "--anchors must be the file this installation's serve --audit-anchor writes; an edited anchor file is itself evidence: keep it")
		}
		return rep, err
	}
	err = error(d)
	if rep.Entries > 0 {
		err = fmt.Errorf("%w; entries 1 to %d are intact, up to head %s", d, rep.Entries, rep.Head)
	}
	switch {
	case d.Kind == audit.BadSignature && d.Seq == 1:
		return rep, withHint(err, "if every entry fails, check that --data is this database's installation: its key file signs the log")
	case d.Kind == audit.Truncated:
		return rep, withHint(err, "the newest entries are gone: compare with a database backup, and keep this database as it is for investigation")
	case d.Kind == audit.Rewritten:
		return rep, withHint(err, "the log was rewritten with the audit key (the key file was read): treat the server as compromised, and keep this database and the anchors as they are for investigation")
	}
	return rep, withHint(err, "compare with a database backup to see what changed, and keep this database as it is for investigation")
}
