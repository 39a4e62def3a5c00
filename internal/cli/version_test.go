package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

// "tipline version" names the schema of the latest migration, and
// "tipline --version" says the same.
func TestVersionNamesTheLatestMigration(t *testing.T) {
	entries, err := os.ReadDir("../store/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, strings.TrimSuffix(e.Name(), ".sql"))
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		t.Fatal("no migrations")
	}
	code, out, errOut := run(t, "", "version")
	if code != 0 || errOut != "" {
		t.Fatalf("version: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "\nschema: "+names[len(names)-1]+"\n") {
		t.Fatalf("version does not name the latest migration %s:\n%s", names[len(names)-1], out)
	}
	if !strings.Contains(out, "\ngo: go1.") {
		t.Fatalf("version does not name the Go version:\n%s", out)
	}
	if code, out2, _ := run(t, "", "--version"); code != 0 || out2 != out {
		t.Fatalf("--version: exit %d\n%s\nversion said:\n%s", code, out2, out)
	}
}

// A binary built by scripts/build (as the package is) prints the commit it
// was built from and git describe's version; one built by plain "go build"
// prints the revision Go recorded.
func TestVersionOfABuiltBinaryNamesItsCommit(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
		if err != nil {
			testenv.SkipOrFail(t, "git %v: %v (not a git checkout?)", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	short := git("rev-parse", "--short", "HEAD")
	describe := git("describe", "--tags", "--always", "--dirty")
	bin := filepath.Join(t.TempDir(), "tipline")
	version := func(bin string) string {
		t.Helper()
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("tipline version: %v\n%s", err, out)
		}
		return string(out)
	}

	if out, err := exec.Command(filepath.Join(root, "scripts/build"), bin).CombinedOutput(); err != nil {
		t.Fatalf("scripts/build: %v\n%s", err, out)
	}
	out := version(bin)
	if !strings.HasPrefix(out, "tipline "+describe+"\n") || !strings.Contains(out, "\ncommit: "+short+"\n") {
		t.Fatalf("scripts/build's binary should say version %s, commit %s:\n%s", describe, short, out)
	}

	// Go finds the revision only in a .git folder (not in a worktree's
	// .git file).
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skip("no .git folder: go build cannot record the revision here")
	}
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/tipline")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out = version(bin)
	if !strings.Contains(out, "\ncommit: "+short) || strings.HasPrefix(out, "tipline devel\n") {
		t.Fatalf("go build -buildvcs=true's binary should name commit %s and a module version:\n%s", short, out)
	}
}
