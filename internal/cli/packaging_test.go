package cli_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The package's settings file documents every flag of "tipline serve" that
// an operator may set, so that a new flag is never missing from it.
func TestPackageSettingsDocumentEveryServeFlag(t *testing.T) {
	env, err := os.ReadFile("../../packaging/tipline.env")
	if err != nil {
		t.Fatal(err)
	}
	code, help, _ := run(t, "", "serve", "--help")
	if code != 0 {
		t.Fatalf("serve --help: exit %d", code)
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(help, -1)
	if len(flags) < 10 {
		t.Fatalf("found only %d flags in serve --help:\n%s", len(flags), help)
	}
	for _, f := range flags {
		name := f[1]
		switch name {
		case "data": // the unit fixes it: /var/lib/tipline
			continue
		case "desk-webauthn-origin": // an old name of --desk-origin
			continue
		}
		if !strings.Contains(string(env), "--"+name+" ") && !strings.Contains(string(env), "--"+name+"=") {
			t.Errorf("packaging/tipline.env does not document --%s: add it, with what it does, to TIPLINE_SERVE_FLAGS's examples", name)
		}
	}
}
