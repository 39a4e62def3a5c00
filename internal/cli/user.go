package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"tipline/internal/audit"
	"tipline/internal/tip"
)

func init() {
	register(command{name: "user", order: 3, run: runUser, usage: "" +
		"  tipline user add --data DIR --name NAME --role ROLE [--role ROLE]... [--offer ID]...\n" +
		"                         add a desk user; the password is read from standard input"})
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{withHint(errors.New("unknown or missing user command"), "tipline user add --data DIR --name NAME --role analyst")}
	}
	fs := newFlagSet("user add", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN")
	name := fs.String("name", "", "the user's name (required)")
	var roles, offers repeated
	fs.Var(&roles, "role", "admin, analyst, committee or auditor (repeat for several)")
	fs.Var(&offers, "offer", "an offer whose reports the analyst receives (repeat; default: every offer)")
	if err := fs.Parse(args[1:]); err != nil {
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
	created, err := a.accounts.Create(ctx, *name, password, rs, offers)
	if err != nil {
		return cliError(err)
	}
	return json.NewEncoder(stdout).Encode(struct {
		Name    string     `json:"name"`
		Roles   []tip.Role `json:"roles"`
		TOTPURI string     `json:"totp_uri"`
	}{created.User.Name, created.User.Roles, created.TOTPURI})
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
