package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

func init() {
	register(command{name: "grant", order: 4, run: runGrant, usage: "" +
		"  tipline grant --data DIR --recovery-identity FILE --to NAME [--offer ID]\n" +
		"                         give an analyst the reports that existed before they joined"})
}

// runGrant opens tips with the offline recovery identity and wraps their keys
// to an analyst: how older reports reach an analyst who joined later. Each
// grant commits with its audit entry.
func runGrant(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("grant", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	identity := fs.String("recovery-identity", "", "the file holding the offline recovery identity (required)")
	to := fs.String("to", "", "the name of the analyst to grant to (required)")
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
	if tip.ErrorCode(err) == tip.CodeNotFound {
		return withHint(fmt.Errorf("no user named %q", *to), "tipline user list --data "+*data+" lists the users and their roles; reports are granted to enabled analysts")
	}
	if err != nil {
		return err
	}
	if err := account.CheckGrantee(user); err != nil {
		return withHint(cliError(err), granteeHint(user))
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
			return withHint(fmt.Errorf("report %s does not open with this identity (%d granted before it)", id, granted), "is this the installation's recovery identity?")
		}
		// The grant and its audit entry commit together.
		gctx, err := a.audit.Attach(ctx, audit.Event{Actor: "cli", Action: "grant", TipID: id, Detail: "to " + user.Holder() + " with the recovery identity"})
		if err != nil {
			return err
		}
		if err := a.accounts.Grant(gctx, id, tipKey, user); err != nil {
			return fmt.Errorf("failed to grant report %s (%d granted before it): %w", id, granted, cliError(err))
		}
		granted++
	}
	fmt.Fprintf(stdout, "granted %d %s to %s\n", granted, plural(granted, "report"), user.Name)
	return nil
}

// granteeHint says what to do instead of granting reports to u.
func granteeHint(u tip.User) string {
	switch {
	case u.Disabled:
		return "an admin enables them on the desk (Users) first"
	case u.Has(tip.RoleCommittee):
		return "a committee member reads a report once an analyst recommends a reward on it, from the report's page on the desk"
	default:
		return "grant reports to an analyst; tipline user list shows each user's roles"
	}
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
