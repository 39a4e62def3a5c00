package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"tipline/internal/audit"
	"tipline/internal/auth"
	"tipline/internal/tip"
)

func init() {
	register(command{name: "user", order: 3, run: runUser, usage: "" +
		"  tipline user add --data DIR --name NAME --role ROLE [--role ROLE]... [--offer ID]... [--email ADDRESS] [--qr FILE]\n" +
		"                         add a desk user; the password is read from standard input\n" +
		"  tipline user list --data DIR [--json]\n" +
		"                         list desk users: roles, state, last login (to the hour)\n" +
		"  tipline user remove --data DIR [--yes] NAME\n" +
		"                         off-board a user: end their sessions, delete their keys; lists the reports\n" +
		"                         it would leave to the recovery key alone (--yes to go ahead)\n" +
		"  tipline user reset-passphrase --data DIR [--yes] NAME\n" +
		"                         a forgotten passphrase: delete the user's keys, second factors and sessions and\n" +
		"                         print a one-time enrolment code they log in with to choose a new passphrase;\n" +
		"                         lists the reports it would leave to the recovery key alone (--yes to go ahead)"})
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runUserAdd(args[1:], stdin, stdout, stderr)
		case "list":
			return runUserList(args[1:], stdout, stderr)
		case "remove":
			return runUserRemove(args[1:], stdout, stderr)
		case "reset-passphrase":
			return runUserResetPassphrase(args[1:], stdout, stderr)
		}
	}
	return usageError{withHint(errors.New("unknown or missing user command"), "tipline user add --data DIR --name NAME --role analyst, tipline user list --data DIR, tipline user remove --data DIR NAME, or tipline user reset-passphrase --data DIR NAME")}
}

func runUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("user add", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	name := fs.String("name", "", "the user's name (required)")
	qr := fs.String("qr", "", "also write the authenticator's QR code to this PNG file")
	email := fs.String("email", "", "where the user is told whether something awaits them (with serve --smtp-url)")
	var roles, offers repeated
	fs.Var(&roles, "role", "admin, analyst, committee or auditor (repeat for several)")
	fs.Var(&offers, "offer", "an offer whose reports the analyst receives (repeat; default: every offer)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" || *name == "" || len(roles) == 0 {
		return usageError{withHint(errors.New("--data, --name and --role are required"), "echo 'a long passphrase' | tipline user add --data DIR --name kim --role analyst")}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	var rs []tip.Role
	for _, r := range roles {
		rs = append(rs, tip.Role(r))
	}
	// The user and their audit entry are stored together, or neither is.
	ctx, err = a.audit.Attach(ctx, audit.Event{Actor: "cli", Action: "user.add", Detail: "user " + *name + " roles " + roles.String()})
	if err != nil {
		return err
	}
	created, err := a.accounts.Create(ctx, *name, password, rs, offers, *email)
	if err != nil {
		return cliError(err)
	}
	if *qr != "" {
		png, err := auth.QRCodePNG(created.TOTPURI, 512)
		if err != nil {
			return err
		}
		// The QR code holds the second factor's secret: readable by the
		// operator alone, and to be deleted once scanned.
		if err := os.WriteFile(*qr, png, 0o600); err != nil {
			return withHint(fmt.Errorf("the user was added, but the QR code could not be written: %w", err), "the totp_uri printed above is the same secret")
		}
		fmt.Fprintf(stderr, "%s holds %s's second factor: once it is scanned, delete it (shred -u %s).\n", *qr, *name, *qr)
	}
	// No HTML escaping: the URI holds "&", which must stay pasteable.
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Name    string     `json:"name"`
		Roles   []tip.Role `json:"roles"`
		TOTPURI string     `json:"totp_uri"`
	}{created.User.Name, created.User.Roles, created.TOTPURI})
}

func runUserList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("user list", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	asJSON := fs.Bool("json", false, "one JSON object a line instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return usageError{withHint(errors.New("--data is required"), "tipline user list --data DIR")}
	}
	ctx := context.Background()
	a, err := openApp(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer a.Close()
	users, err := a.store.Users(ctx)
	if err != nil {
		return err
	}
	type row struct {
		Name      string     `json:"name"`
		Roles     []tip.Role `json:"roles"`
		State     string     `json:"state"`
		LastLogin string     `json:"last_login"` // "2026-12-04T12:00Z", or "" for never
	}
	enc := json.NewEncoder(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if !*asJSON {
		fmt.Fprintln(tw, "NAME\tROLES\tSTATE\tLAST LOGIN (UTC, to the hour)")
	}
	for _, u := range users {
		r := row{Name: u.Name, Roles: u.Roles, State: userState(u)}
		if !u.LastLogin.IsZero() {
			r.LastLogin = u.LastLogin.UTC().Format("2006-01-02T15:04Z")
		}
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				return err
			}
			continue
		}
		var roles []string
		for _, role := range u.Roles {
			roles = append(roles, string(role))
		}
		last := r.LastLogin
		if last == "" {
			last = "never"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, strings.Join(roles, ","), r.State, last)
	}
	return tw.Flush()
}

// userState says whether a user can log in, in a word or two.
func userState(u tip.User) string {
	switch {
	case !u.Removed.IsZero():
		return "removed"

	case u.Disabled:
		return "disabled"
	case u.AwaitsPassphrase():
		return "must choose a passphrase"
	case !u.TOTPEnrolled:
		return "must enrol"
	default:
		return "enrolled"
	}
}

// readPassword reads one line; the newline is not part of the password.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("failed to read the password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", withHint(errors.New("no password on standard input"), "pipe it in: echo 'a long passphrase' | tipline user add ...")
	}
	return line, nil
}

// cliError turns an application error into its message, with no code prefix.
func cliError(err error) error {
	if msg := tip.ErrorMessage(err); msg != "" {
		return errors.New(msg)
	}
	return err
}
