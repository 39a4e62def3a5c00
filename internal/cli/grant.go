package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"tipline/internal/audit"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

func init() {
	register(command{name: "grant", order: 4, run: runGrant, usage: "" +
		"  tipline grant --data DIR --recovery-identity FILE --to NAME [--offer ID]\n" +
		"                         give a user the reports that existed before they joined"})
}

// runGrant opens tips with the offline recovery identity and wraps their keys
// to a user: how older reports reach an analyst who joined later.
func runGrant(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("grant", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	identity := fs.String("recovery-identity", "", "the file holding the offline recovery identity (required)")
	to := fs.String("to", "", "the user to grant to (required)")
	offer := fs.String("offer", "", "only this offer's reports (default: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" || *identity == "" || *to == "" {
		return usageError{withHint(errors.New("--data, --recovery-identity and --to are required"), "tipline grant --data DIR --recovery-identity /media/usb/recovery.key --to kim")}
	}
	key, err := readIdentity(*identity)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	user, _, err := a.store.UserByName(ctx, *to)
	if err != nil {
		return cliError(err)
	}
	if !user.Has(tip.RoleAnalyst) && !user.Has(tip.RoleCommittee) {
		return fmt.Errorf("%s is neither an analyst nor a committee member: only they read reports", user.Name)
	}
	if user.Disabled {
		return withHint(fmt.Errorf("%s is disabled: no report is granted to a disabled user", user.Name), "an admin enables them on the desk (Users) first")
	}
	ids, err := a.store.TipsOfOffer(ctx, *offer)
	if err != nil {
		return err
	}
	granted := 0
	for _, id := range ids {
		wrapped, err := a.store.WrappedKey(ctx, id, "recovery")
		if err != nil {
			continue // shredded, or never wrapped to this recovery key
		}
		tipKey, err := seal.Unwrap(wrapped, key)
		if err != nil {
			return withHint(fmt.Errorf("report %s does not open with this identity", id), "is this the installation's recovery identity?")
		}
		if err := a.accounts.Grant(ctx, id, tipKey, user); err != nil {
			return cliError(err)
		}
		if err := a.audit.Record(ctx, audit.Event{Actor: "cli", Action: "grant", TipID: id, Detail: "to " + user.Holder() + " with the recovery identity"}); err != nil {
			return err
		}
		granted++
	}
	fmt.Fprintf(stdout, "granted %d reports to %s\n", granted, user.Name)
	return nil
}

// readIdentity reads an age identity file: comments and blank lines skipped.
func readIdentity(path string) (*seal.Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read the recovery identity: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
			return seal.ParseKey(line)
		}
	}
	return nil, fmt.Errorf("%s holds no identity", path)
}
