package cli_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/cli"
	"tipline/internal/install"
	"tipline/internal/intake"
	"tipline/internal/seal"
	"tipline/internal/store"
)

// tipline recovery rotate rewraps every report's recovery copy to a new
// key while the source site takes reports: stopped halfway, every report
// opens with the old identity or the new one, and the same command finishes
// the rotation; afterwards the new identity opens every report — those sent
// during the rotation too — the old one none, new backups are sealed to the
// new key, and the start and the end are in the audit log, which verifies.
func TestRecoveryRotateRewrapsEveryReport(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	submit := serveIntake(t, dir)
	for range 4 {
		submit()
	}
	oldFile := filepath.Join(dir, install.RecoveryIdentityFile)
	oldKey := identityIn(t, oldFile)
	st := openStore(t, dir)
	if n := opening(t, st, oldKey); n != 4 {
		t.Fatalf("before the rotation the recovery identity opens %d of 4 reports", n)
	}
	newFile := filepath.Join(t.TempDir(), "new.key")
	_, out, _ := run(t, "", "keygen", "-o", newFile)
	newPub := strings.TrimSpace(out)
	newKey := identityIn(t, newFile)

	err := cli.RotateRecoveryStoppingAfter(dir, oldFile, newPub, 2, func() { submit() })
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("a rotation stopped after 2 reports: %v", err)
	}
	byOld, byNew := opening(t, st, oldKey), opening(t, st, newKey)
	if byNew < 2 || byOld+byNew != 5 {
		t.Fatalf("halfway, every report must open with one of the identities: old %d, new %d, of 5", byOld, byNew)
	}
	if start, end := rotationEntries(t, st); len(start) != 1 || len(end) != 0 {
		t.Fatalf("a stopped rotation has its start audited and not its end: %q %q", start, end)
	}

	code, out, errs := run(t, "", "recovery", "rotate", "--data", dir, "--identity", oldFile, "--to", newPub)
	if code != 0 || !strings.Contains(out, "Resuming") || !strings.Contains(out, "all 5 recovery copies") {
		t.Fatalf("the same command finishes the rotation: exit %d\n%s%s", code, out, errs)
	}
	submit()
	if byOld, byNew := opening(t, st, oldKey), opening(t, st, newKey); byOld != 0 || byNew != 6 {
		t.Fatalf("after the rotation the old identity opens %d reports (want 0), the new one %d of 6", byOld, byNew)
	}
	start, end := rotationEntries(t, st)
	if len(start) != 1 || !strings.HasSuffix(start[0], "; 4 reports to rewrap") || len(end) != 1 || !strings.Contains(end[0], "5 recovery copies") {
		t.Fatalf("one start entry and one end entry, with counts: %q %q", start, end)
	}
	keys, err := install.Load(dir)
	if err != nil || !store.SameRecipient(keys.RecoveryRecipient, newPub) {
		t.Fatalf("the key file names the new recovery recipient: %v", err)
	}
	if code, out, errs := run(t, "", "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("audit verify after a rotation: %s%s", out, errs)
	}

	backupFile := filepath.Join(t.TempDir(), "backup.age")
	if code, _, errs := run(t, "", "backup", "--data", dir, "--to", backupFile); code != 0 {
		t.Fatal(errs)
	}
	if opensFile(t, backupFile, oldKey) || !opensFile(t, backupFile, newKey) {
		t.Fatal("a backup after the rotation is sealed to the new recovery key, not the old one")
	}
}

// A rotation refuses an identity that is not the installation's recovery
// identity, and a recipient that is not one, with what to do, and changes
// nothing.
func TestRecoveryRotateRefusesWrongInput(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	submitOne(t, dir)
	stranger := filepath.Join(t.TempDir(), "stranger.key")
	_, out, _ := run(t, "", "keygen", "-o", stranger)
	newFile := filepath.Join(t.TempDir(), "new.key")
	_, newPub, _ := run(t, "", "keygen", "-o", newFile)
	newPub = strings.TrimSpace(newPub)
	keyFile, _ := os.ReadFile(filepath.Join(dir, install.KeyFile))
	st := openStore(t, dir)
	head, _, _ := st.AuditHead(context.Background())
	identity := filepath.Join(dir, install.RecoveryIdentityFile)
	for _, c := range []struct {
		args       []string
		exit       int
		says, hint string
	}{
		{[]string{"--identity", stranger, "--to", newPub}, 1, "which is not the installation's recovery key", "hint: give --identity the offline recovery identity"},
		{[]string{"--identity", identity, "--to", "age1notakey"}, 2, "--to: invalid recipient", "hint: give the new key's public key"},
		{[]string{"--identity", identity, "--to", strings.TrimSpace(out)[:40]}, 2, "--to: invalid recipient", "nothing was changed"},
		{[]string{"--identity", newFile, "--to", newPub}, 1, "not the installation's recovery key", "nothing was changed"},
		{[]string{"--identity", filepath.Join(dir, install.KeyFile), "--to", newPub}, 1, "", "--identity takes the file holding the recovery identity"},
		{[]string{"--to", newPub}, 2, "--identity and --to are required", "tipline keygen"},
	} {
		code, _, errs := run(t, "", append([]string{"recovery", "rotate", "--data", dir}, c.args...)...)
		if code != c.exit || !strings.Contains(errs, c.says) || !strings.Contains(errs, c.hint) {
			t.Errorf("rotate %q: exit %d, %q; want exit %d saying %q and %q", c.args[:2], code, errs, c.exit, c.says, c.hint)
		}
	}
	if after, _, _ := st.AuditHead(context.Background()); after != head {
		t.Error("a refused rotation wrote to the audit log")
	}
	if now, _ := os.ReadFile(filepath.Join(dir, install.KeyFile)); !bytes.Equal(now, keyFile) {
		t.Error("a refused rotation changed the key file")
	}
	if state, _ := st.Recovery(context.Background()); state.Recipient != "" {
		t.Errorf("a refused rotation changed the recovery recipient: %+v", state)
	}
	if opening(t, st, identityIn(t, identity)) != 1 {
		t.Error("after refused rotations the recovery identity still opens the report")
	}
}

// serveIntake serves the source site of an installation, as serve does, and
// returns a function that sends it a report.
func serveIntake(t *testing.T, dir string) func() {
	t.Helper()
	keys, err := install.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, dir)
	srv, err := intake.New(intake.Config{Store: st, Keys: keys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	go srv.Run(ctx)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); stop() })
	return func() {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("category", "oil")
		mw.WriteField("message", "a tanker off Nampo")
		mw.Close()
		resp, err := http.Post(hs.URL+"/submit", mw.FormDataContentType(), &buf)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("submit: %v %v", err, resp)
			return
		}
		resp.Body.Close()
	}
}

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func identityIn(t *testing.T, path string) *seal.Key {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	k, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// opening counts the reports whose recovery copy opens with key and gives a
// key that opens the report.
func opening(t *testing.T, st *store.Store, key *seal.Key) int {
	t.Helper()
	ctx := context.Background()
	ids, err := st.TipsOfOffer(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, id := range ids {
		wrapped, err := st.WrappedKey(ctx, id, "recovery")
		if err != nil {
			t.Fatal(err)
		}
		tipKey, err := seal.Unwrap(wrapped, key)
		if err != nil {
			continue
		}
		sealed, err := st.TipContent(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seal.OpenBytes(sealed, tipKey); err != nil {
			t.Fatalf("report %s: its recovery copy opens but its key does not open the report: %v", id, err)
		}
		n++
	}
	return n
}

func rotationEntries(t *testing.T, st *store.Store) (start, end []string) {
	t.Helper()
	entries, err := st.ListAudit(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Action {
		case "recovery.rotate.start":
			start = append(start, e.Detail)
		case "recovery.rotate.end":
			end = append(end, e.Detail)
		}
	}
	return start, end
}

func opensFile(t *testing.T, path string, key *seal.Key) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = seal.Open(f, key)
	return err == nil
}

// tipline user remove lists the reports it would leave to the recovery key
// alone and goes ahead only with --yes; the user's keys go, their name stays
// in the list and in the audit log, which verifies.
func TestUserRemove(t *testing.T) {
	dir := t.TempDir()
	run(t, "", "init", "--data", dir)
	if code, _, errs := run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "kim", "--role", "analyst"); code != 0 {
		t.Fatal(errs)
	}
	submitOne(t, dir) // kim's alone
	if code, _, errs := run(t, "a long enough passphrase\n", "user", "add", "--data", dir, "--name", "lee", "--role", "analyst"); code != 0 {
		t.Fatal(errs)
	}
	submitOne(t, dir) // kim's and lee's
	st := openStore(t, dir)
	ctx := context.Background()
	kim, _, _ := st.UserByName(ctx, "kim")
	lee, _, _ := st.UserByName(ctx, "lee")
	ids, _ := st.TipsOfOffer(ctx, "")
	var kimAlone string
	for _, id := range ids {
		if _, err := st.WrappedKey(ctx, id, lee.Holder()); err != nil {
			kimAlone = id
		}
	}
	code, out, errs := run(t, "", "user", "remove", "--data", dir, "kim")
	if code != 1 || !strings.Contains(out, "kim holds the keys of 2 reports") || !strings.Contains(out, "  "+kimAlone+"\n") ||
		!strings.Contains(errs, "kim was not removed: 1 report would be left with the recovery key alone") || !strings.Contains(errs, "--yes") {
		t.Fatalf("remove without --yes: exit %d\n%s%s", code, out, errs)
	}
	if _, err := st.WrappedKey(ctx, kimAlone, kim.Holder()); err != nil {
		t.Fatal("an unconfirmed removal deleted kim's key")
	}
	code, out, errs = run(t, "", "user", "remove", "kim", "--data", dir, "--yes")
	if code != 0 || !strings.Contains(out, "Removed kim") {
		t.Fatalf("remove --yes: exit %d\n%s%s", code, out, errs)
	}
	for _, id := range ids {
		if _, err := st.WrappedKey(ctx, id, kim.Holder()); err == nil {
			t.Fatalf("kim still holds %s", id)
		}
	}
	if _, out, _ := run(t, "", "user", "list", "--data", dir); !strings.Contains(out, "kim   analyst  removed") {
		t.Fatalf("user list names kim as removed:\n%s", out)
	}
	entries, _ := st.ListAudit(ctx, store.AuditFilter{Limit: 100})
	var removals []string
	for _, e := range entries {
		if e.Action == "user.remove" {
			removals = append(removals, e.Detail)
		}
	}
	if len(removals) != 1 || !strings.Contains(removals[0], "(kim); keys to 2 reports deleted, 1 of them left to the recovery key alone") {
		t.Fatalf("one audited removal, with counts: %q", removals)
	}
	if code, out, errs := run(t, "", "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("audit verify after a removal: %s%s", out, errs)
	}
	if code, _, errs := run(t, "", "user", "remove", "--data", dir, "kim", "--yes"); code != 1 || !strings.Contains(errs, "removed already") {
		t.Fatalf("removing kim again: exit %d %s", code, errs)
	}
	if code, _, errs := run(t, "", "user", "remove", "--data", dir, "nobody"); code != 1 || !strings.Contains(errs, `no user named "nobody"`) || !strings.Contains(errs, "hint: tipline user list") {
		t.Fatalf("removing no one: exit %d %s", code, errs)
	}
}
