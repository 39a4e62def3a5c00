package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"tipline/internal/audit"
	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

func init() {
	register(command{name: "recovery", order: 5, run: runRecovery, usage: "" +
		"  tipline recovery rotate --identity OLD_IDENTITY_FILE --to NEW_RECIPIENT [--data DIR] [--db DSN]\n" +
		"                         rewrap every report's recovery copy to a new offline key; resumable, audited"})
}

func runRecovery(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "rotate" {
		return runRecoveryRotate(args[1:], stdout, stderr)
	}
	return usageError{withHint(errors.New("unknown or missing recovery command"),
		"tipline recovery rotate --identity /media/offline/recovery.key --to age1pq1... --data DIR")}
}

func runRecoveryRotate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recovery rotate", stderr)
	data := fs.String("data", defaultDataDir, "the data folder, with the key file")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	identity := fs.String("identity", "", "the file holding the recovery identity in use now, the one to retire (required)")
	to := fs.String("to", "", "the new recovery key's public key, from tipline keygen on an offline machine (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *identity == "" || *to == "" {
		return usageError{withHint(errors.New("--identity and --to are required"),
			"tipline keygen -o /media/offline/new-recovery.key on an offline machine prints the new public key; then\n"+
				"  tipline recovery rotate --data DIR --identity /media/offline/recovery.key --to age1pq1...")}
	}
	old, err := readIdentity(*identity)
	if err != nil {
		return withHint(err, "--identity takes the file holding the recovery identity in use now (AGE-SECRET-KEY-...); nothing was changed")
	}
	next, err := seal.ParseRecipient(*to)
	if err != nil {
		return usageError{withHint(fmt.Errorf("--to: %w", err),
			"give the new key's public key as tipline keygen printed it (age1pq1..., or a classic age1...); nothing was changed")}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	r := rotation{app: a, dataDir: *data, old: old, to: next, out: stdout}
	return r.run(ctx)
}

// rotation rewraps the recovery copies of every report from the identity
// in use to a new recipient (see store.StartRecoveryRotation for the order
// that keeps every report recoverable throughout).
type rotation struct {
	*app
	dataDir string
	old     *seal.Key
	to      seal.Recipient
	out     io.Writer
	// rewrapped, when set, is called after each report is rewrapped (tests
	// interrupt a rotation with it).
	rewrapped func(n int)
}

// rotateBatch is how many listed reports are read at a time; each is
// rewrapped in a transaction of its own.
const rotateBatch = 100

func (r *rotation) run(ctx context.Context) error {
	rec, err := r.keys.RecoveryNow(ctx, r.store)
	if err != nil {
		return err
	}
	if err := r.check(rec); err != nil {
		return err
	}
	if rec.RotatingFrom == nil {
		if !r.to.PostQuantum() {
			fmt.Fprintf(r.out, "WARNING: %s is a classic age1... key: reports wrapped to it could be opened by a future\n"+
				"quantum computer. \"tipline keygen\" makes a post-quantum one.\n", shortKey(r.to))
		}
		listed, err := r.store.StartRecoveryRotation(ctx, rec.Current.String(), r.to.String(), r.entry("recovery.rotate.start",
			"from %s to %s: new reports are wrapped to the new key; %d reports to rewrap", shortKey(rec.Current), shortKey(r.to)))
		if err != nil {
			return withHint(cliError(err), "nothing was changed; run the command again")
		}
		fmt.Fprintf(r.out, "New reports are now wrapped to %s; %d %s to rewrap.\n", shortKey(r.to), listed, plural(listed, "report"))
	} else {
		fmt.Fprintf(r.out, "Resuming the rotation to %s.\n", shortKey(r.to))
	}
	if err := install.SetRecoveryRecipient(r.dataDir, r.to); err != nil {
		return withHint(fmt.Errorf("the key file could not be updated: %w", err),
			"the rotation has started in the database; fix the cause and run the same command again to finish it")
	}
	done := 0
	for {
		n, err := r.rewrapListed(ctx)
		done += n
		if err != nil {
			return r.stopped(ctx, done, err)
		}
		copies, err := r.store.FinishRecoveryRotation(ctx, r.entry("recovery.rotate.end",
			"to %s: done; %d recovery copies, every one wrapped to the new key", shortKey(r.to)))
		if errors.Is(err, store.ErrRotationUnfinished) {
			continue // reports committed meanwhile, wrapped to the old key
		}
		if err != nil {
			return r.stopped(ctx, done, err)
		}
		fmt.Fprintf(r.out, "Rewrapped %d %s. Done: all %d recovery copies are wrapped to %s, and the retired identity\n"+
			"opens no report of this installation. Backups made before the rotation are sealed to the retired\n"+
			"identity: keep it offline until they have expired, then destroy it.\n", done, plural(done, "report"), copies, shortKey(r.to))
		return nil
	}
}

// check refuses an identity that is not the one the reports are wrapped to,
// and a target that would change nothing or mix with another rotation.
func (r *rotation) check(rec install.Recovery) error {
	mine := r.old.Recipient()
	if rec.RotatingFrom != nil {
		switch {
		case !sameKey(mine, *rec.RotatingFrom):
			return withHint(fmt.Errorf("a rotation from %s to %s is in progress, and --identity holds %s",
				shortKey(*rec.RotatingFrom), shortKey(rec.Current), shortKey(mine)),
				"give --identity the identity being retired, to which the reports not yet rewrapped are still wrapped; nothing was changed")
		case !sameKey(r.to, rec.Current):
			return withHint(fmt.Errorf("a rotation to %s is in progress; it must finish before another starts", shortKey(rec.Current)),
				"finish it with --to "+rec.Current.String()+"; nothing was changed")
		}
		return nil
	}
	switch {
	case !sameKey(mine, rec.Current):
		return withHint(fmt.Errorf("--identity holds %s, which is not the installation's recovery key (%s)", shortKey(mine), shortKey(rec.Current)),
			"give --identity the offline recovery identity whose public key the installation uses; nothing was changed")
	case sameKey(r.to, rec.Current):
		return withHint(fmt.Errorf("%s is already the installation's recovery key", shortKey(r.to)),
			"give --to the new key's public key (tipline keygen -o FILE prints it); nothing was changed")
	}
	return nil
}

// rewrapListed rewraps the reports listed for the rotation until none is
// left, and returns how many it rewrapped.
func (r *rotation) rewrapListed(ctx context.Context) (int, error) {
	done := 0
	for {
		ids, err := r.store.RecoveryPending(ctx, rotateBatch)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			if err := r.rewrap(ctx, id); err != nil {
				return done, err
			}
			done++
			if r.rewrapped != nil {
				r.rewrapped(done)
			}
		}
	}
}

func (r *rotation) rewrap(ctx context.Context, id string) error {
	old, err := r.store.WrappedKey(ctx, id, "recovery")
	if tip.ErrorCode(err) == tip.CodeNotFound {
		return r.store.RewrapRecovery(ctx, id, nil, nil) // no copy to rewrap
	}
	if err != nil {
		return err
	}
	key, err := seal.Unwrap(old, r.old)
	if err != nil {
		return withHint(fmt.Errorf("report %s's recovery copy does not open with --identity: %w", id, err),
			"a damaged copy stops the rotation here: the reports before it are rewrapped; restore the report from a backup, or shred it, then run the command again")
	}
	rewrapped, err := seal.Wrap(key, r.to)
	if err != nil {
		return err
	}
	return r.store.RewrapRecovery(ctx, id, old, rewrapped)
}

// stopped explains an interrupted rotation: what was done, and that the
// same command finishes it.
func (r *rotation) stopped(ctx context.Context, done int, err error) error {
	var h hinted
	if errors.As(err, &h) {
		return err
	}
	if ctx.Err() != nil {
		err = errors.New("interrupted")
	}
	return withHint(fmt.Errorf("the rotation stopped after rewrapping %d %s: %w", done, plural(done, "report"), err),
		"run the same command again to go on; until it finishes, every report opens with the old identity or the new one")
}

// entry attaches an audit entry whose detail ends with a count read in the
// write's transaction.
func (r *rotation) entry(action, format string, args ...any) store.CountedEntry {
	return func(ctx context.Context, n int) (context.Context, error) {
		return r.audit.Attach(ctx, audit.Event{Actor: "cli", Action: action, Detail: fmt.Sprintf(format, append(args, n)...)})
	}
}

func sameKey(a, b seal.Recipient) bool { return store.SameRecipient(a.String(), b.String()) }

// shortKey names a recipient briefly: a post-quantum public key is 1,900
// characters long.
func shortKey(r seal.Recipient) string {
	s := r.String()
	if len(s) <= 24 {
		return s
	}
	return s[:16] + "…" + s[len(s)-8:]
}
