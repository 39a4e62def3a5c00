package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// runUserRemove off-boards a desk user (store.RemoveUser): it says what the
// removal does first, and leaves reports to the recovery key alone only
// with --yes.
func runUserRemove(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user remove", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	yes := fs.Bool("yes", false, "go ahead when reports would be left with the recovery key alone")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// NAME may come before the flags or after them.
	var name string
	if fs.NArg() > 0 {
		name = fs.Arg(0)
		if err := parseFlags(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	if *data == "" || name == "" || fs.NArg() > 0 {
		return usageError{withHint(errors.New("--data and one user NAME are required"), "tipline user remove --data DIR kim")}
	}
	ctx := context.Background()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	u, _, err := a.store.UserByName(ctx, name)
	if tip.ErrorCode(err) == tip.CodeNotFound {
		return withHint(fmt.Errorf("no user named %q", name), "tipline user list --data "+*data+" lists the users")
	}
	if err != nil {
		return err
	}
	plan, err := a.store.PlanUserRemoval(ctx, u.ID)
	if err != nil {
		return withHint(cliError(err), "nothing was changed")
	}
	if err := showKeyLoss(stdout, u.Name, "removing "+u.Name, u.Name+" was not removed", plan, *yes); err != nil {
		return err
	}
	removed, err := a.store.RemoveUser(ctx, u.ID, *yes, func(ctx context.Context, rm store.Removal) (context.Context, error) {
		return a.audit.Attach(ctx, audit.Event{Actor: "cli", Action: "user.remove", Detail: "user " + u.Holder() + " (" + u.Name + "); " + rm.Summary()})
	})
	if err != nil {
		return withHint(cliError(err), "nothing was changed")
	}
	fmt.Fprintf(stdout, "Removed %s: sessions ended, keys to %d %s deleted, second factors and enrolment code void. Their name stays in the audit log.\n",
		u.Name, removed.Held, plural(removed.Held, "report"))
	return nil
}

// showKeyLoss says what deleting a user's copies of report keys (a removal,
// a passphrase reset) does: how many reports they hold, and those it would
// leave to the recovery key alone; it refuses to go ahead with those without
// --yes. doing is "removing kim"; notDone is "kim was not removed".
func showKeyLoss(w io.Writer, name, doing, notDone string, plan store.Removal, yes bool) error {
	fmt.Fprintf(w, "%s holds the keys of %d %s.\n", name, plan.Held, plural(plan.Held, "report"))
	if len(plan.RecoveryOnly) == 0 {
		return nil
	}
	fmt.Fprintf(w, "No other desk user holds these %d; %s leaves them to the offline recovery key alone:\n", len(plan.RecoveryOnly), doing)
	for _, id := range plan.RecoveryOnly {
		fmt.Fprintf(w, "  %s\n", id)
	}
	if !yes {
		return withHint(fmt.Errorf("%s: %d %s would be left with the recovery key alone", notDone, len(plan.RecoveryOnly), plural(len(plan.RecoveryOnly), "report")),
			"grant them to another analyst first (from the report's page, or tipline grant), or run again with --yes to leave them to the recovery key")
	}
	return nil
}
