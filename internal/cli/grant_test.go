package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/install"
	"tipline/internal/store"
)

// tipline grant gives reports to enabled analysts only: a committee member
// reads what a recommendation shares, an admin or an auditor reads nothing,
// and a name that is no user's is named back with how to list the users.
// Nothing is audited for a refusal; a grant is, with its report.
func TestGrantRefusesWhoMayNotReadEveryReport(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	submitOne(t, dir)
	for _, u := range [][2]string{{"judge", "committee"}, {"root", "admin"}, {"ada", "auditor"}} {
		if code, _, errs := run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", u[0], "--role", u[1]); code != 0 {
			t.Fatalf("user add %s: %s", u[0], errs)
		}
	}
	identity := filepath.Join(dir, install.RecoveryIdentityFile)
	for _, c := range []struct{ to, says, hint string }{
		{"judge", "tipline: error: judge is on the reward committee, which reads a report only when a reward is recommended on it: only analysts are granted reports",
			"hint: a committee member reads a report once an analyst recommends a reward on it"},
		{"root", "tipline: error: root is not an analyst", "hint: grant reports to an analyst; tipline user list shows each user's roles"},
		{"ada", "tipline: error: ada is not an analyst", "tipline user list"},
		{"kimm", `tipline: error: no user named "kimm"`, "hint: tipline user list --data " + dir + " lists the users and their roles; reports are granted to enabled analysts"},
	} {
		code, out, errs := run(t, "", "grant", "--data", dir, "--recovery-identity", identity, "--to", c.to)
		if code == 0 || out != "" || !strings.Contains(errs, c.says) || !strings.Contains(errs, c.hint) {
			t.Fatalf("grant --to %s: exit %d, stdout %q, stderr %q; want it refused saying %q and %q", c.to, code, out, errs, c.says, c.hint)
		}
	}
	if code, _, errs := run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "lee", "--role", "analyst"); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := run(t, "", "grant", "--data", dir, "--recovery-identity", identity, "--to", "lee"); code != 0 || out != "granted 1 report to lee\n" {
		t.Fatalf("grant to an analyst: exit %d, %q, %q", code, out, errs)
	}
	st, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.ListAudit(context.Background(), store.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var grants []string
	for _, e := range entries {
		if e.Action == "grant" {
			grants = append(grants, e.Detail)
		}
	}
	lee, _, _ := st.UserByName(context.Background(), "lee")
	if len(grants) != 1 || grants[0] != "to "+lee.Holder()+" with the recovery identity" {
		t.Fatalf("one grant, to lee, should be audited: %q", grants)
	}
}
