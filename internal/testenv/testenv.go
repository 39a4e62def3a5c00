// Package testenv decides what a test does when something it needs from the
// machine is missing — a program, a data file beside the checkout, a
// database. On a developer's machine it skips, saying what to install. Under
// CI (the environment variable CI set, as .ci/run does) it fails: CI installs
// everything, so a skip there would hide a test that never ran.
package testenv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run under CI.
func InCI() bool {
	switch os.Getenv("CI") {
	case "", "0", "false":
		return false
	}
	return true
}

// SkipOrFail skips the test with the reason, or fails it under CI.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("CI must run this test, but %s", reason)
	}
	t.Skip(reason)
}

// debianPackages names the package that installs each program the tests use.
var debianPackages = map[string]string{
	"argon2":    "argon2",
	"chromium":  "chromium",
	"exiftool":  "libimage-exiftool-perl",
	"mkfs.ext4": "e2fsprogs",
	"oathtool":  "oathtool",
	"pdfinfo":   "poppler-utils",
	"promtool":  "prometheus",
	"tor":       "tor",
}

// Need returns the path of the program, or skips the test (fails under CI)
// saying how to install it.
func Need(t testing.TB, program string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		pkg := debianPackages[program]
		if pkg == "" {
			pkg = program
		}
		SkipOrFail(t, "%s is not installed (apt-get install %s)", program, pkg)
	}
	return path
}

// NeedFile skips the test (fails under CI) when path does not exist, and
// fails it when path cannot be read for another reason.
func NeedFile(t testing.TB, path string) {
	t.Helper()
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		SkipOrFail(t, "%s is missing (the data sits beside the checkout, see DESIGN.md)", path)
	case err != nil:
		t.Fatal(err)
	}
}

// Postgres returns the DSN of the PostgreSQL server to test on
// (TIPLINE_TEST_POSTGRES, which scripts/test sets), or "" when there is none.
// Under CI there must be one.
func Postgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TIPLINE_TEST_POSTGRES")
	if dsn == "" && InCI() {
		t.Fatal("CI must test PostgreSQL, but TIPLINE_TEST_POSTGRES is not set (scripts/test sets it when PostgreSQL is installed)")
	}
	return dsn
}
