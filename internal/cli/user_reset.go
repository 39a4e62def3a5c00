package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// runUserResetPassphrase resets a desk user's forgotten passphrase
// (account.ResetPassphrase): it says what the reset does to the reports they
// hold first — on standard error, so that standard output is the JSON with
// the enrolment code alone — and leaves reports to the recovery key alone
// only with --yes. The code is printed once; nobody, the operator included,
// learns the passphrase the user then chooses.
func runUserResetPassphrase(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user reset-passphrase", stderr)
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
		return usageError{withHint(errors.New("--data and one user NAME are required"), "tipline user reset-passphrase --data DIR kim")}
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
	plan, err := a.store.PlanPassphraseReset(ctx, u.ID)
	if err != nil {
		return withHint(cliError(err), "nothing was changed")
	}
	if err := showKeyLoss(stderr, u.Name, "resetting "+u.Name+"'s passphrase", u.Name+"'s passphrase was not reset", plan, *yes); err != nil {
		return err
	}
	done, err := a.accounts.ResetPassphrase(ctx, u.ID, *yes, func(ctx context.Context, rm store.Removal) (context.Context, error) {
		return a.audit.Attach(ctx, audit.Event{Actor: "cli", Action: "user.reset_passphrase",
			Detail: "user " + u.Holder() + " (" + u.Name + "); " + rm.Summary() + "; enrolment code issued, good for " + account.EnrolCodeTTL.String()})
	})
	if err != nil {
		return withHint(cliError(err), "nothing was changed")
	}
	fmt.Fprintf(stderr, "Reset %s's passphrase: sessions ended, keys to %d %s, private key and second factors deleted. "+
		"Give them the enrolment code, in person or by a channel you trust: with their name and the code they log in, choose a new passphrase and enrol a new authenticator. "+
		"It works once, for %d hours, and is not shown again.\n", u.Name, done.Held, plural(done.Held, "report"), int(account.EnrolCodeTTL.Hours()))
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Name      string    `json:"name"`
		EnrolCode string    `json:"enrol_code"`
		Expires   time.Time `json:"expires"`
	}{u.Name, done.EnrolCode, done.Expires.UTC().Truncate(time.Second)})
}
