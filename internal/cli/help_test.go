package cli_test

import (
	"strings"
	"testing"
)

// "tipline help COMMAND" and "tipline COMMAND --help" print the command's
// usage with every flag, on standard output, and exit 0.
func TestHelpOfACommandListsEveryFlag(t *testing.T) {
	serveFlags := []string{"-data", "-public", "-desk", "-db", "-onion", "-max-upload", "-submissions-per-minute",
		"-storage-quota", "-desk-origin", "-desk-webauthn-origin", "-desk-webauthn-rpid", "-retain-closed"}
	for _, args := range [][]string{{"help", "serve"}, {"serve", "--help"}, {"serve", "-h"}} {
		code, out, errOut := run(t, "", args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		for _, f := range serveFlags {
			if !strings.Contains(out, "  "+f+" ") && !strings.Contains(out, "  "+f+"\n") {
				t.Errorf("%v does not list %s:\n%s", args, f, out)
			}
		}
	}
	_, out, _ := run(t, "", "help", "user", "add")
	for _, f := range []string{"-data", "-name", "-role", "-offer", "-qr"} {
		if !strings.Contains(out, "  "+f+" ") {
			t.Errorf("help user add does not list %s:\n%s", f, out)
		}
	}
	code, out, _ := run(t, "", "user", "--help")
	if code != 0 || !strings.Contains(out, "tipline user add") || !strings.Contains(out, "tipline user list") {
		t.Errorf("user --help: %d\n%s", code, out)
	}
}

// The general help names every command.
func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := run(t, "", "help")
	if code != 0 {
		t.Fatalf("help exited %d", code)
	}
	for _, c := range []string{"serve", "init", "user add", "user list", "user remove", "user reset-passphrase", "lists", "screen", "grant", "audit verify", "audit head", "rewards verify", "keygen", "help"} {
		if !strings.Contains(out, "tipline "+c) {
			t.Errorf("help does not list %q:\n%s", c, out)
		}
	}
}

// A wrong flag is reported once, with a hint, and exits 2.
func TestWrongFlagIsReportedOnce(t *testing.T) {
	code, out, errOut := run(t, "", "serve", "--no-such-flag")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if n := strings.Count(errOut, "no-such-flag"); n != 1 {
		t.Fatalf("the wrong flag is reported %d times:\n%s", n, errOut)
	}
	if !strings.Contains(errOut, "hint: run \"tipline serve --help\"") {
		t.Fatalf("no hint:\n%s", errOut)
	}
}
