package testenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"tipline/internal/testenv"
)

// TestMissingThings runs tests that need what is not there in a child
// process, once as on a developer's machine and once as under CI.
func TestMissingThings(t *testing.T) {
	for _, tc := range []struct{ ci, want string }{
		{"", "--- SKIP"},
		{"false", "--- SKIP"},
		{"true", "--- FAIL"},
	} {
		for _, name := range []string{"TestNeedsAMissingProgram", "TestNeedsAMissingFile", "TestNeedsPostgres"} {
			cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+tc.ci, "TIPLINE_TEST_POSTGRES=")
			out, _ := cmd.CombinedOutput()
			if !strings.Contains(string(out), tc.want+": "+name) {
				t.Errorf("%s with CI=%q: want %s, got\n%s", name, tc.ci, tc.want, out)
			}
		}
	}
}

func child(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "" {
		t.Skip("run by TestMissingThings")
	}
}

func TestNeedsAMissingProgram(t *testing.T) {
	child(t)
	testenv.Need(t, "no-such-program-tipline")
	t.Log("ran")
}

func TestNeedsAMissingFile(t *testing.T) {
	child(t)
	testenv.NeedFile(t, t.TempDir()+"/no-such-file")
	t.Log("ran")
}

func TestNeedsPostgres(t *testing.T) {
	child(t)
	if testenv.Postgres(t) == "" {
		testenv.SkipOrFail(t, "no PostgreSQL")
	}
}

// A program that is there is found, and the test goes on.
func TestNeedFindsAProgram(t *testing.T) {
	if path := testenv.Need(t, "go"); !strings.HasSuffix(path, "go") {
		t.Fatalf("Need(go) = %q", path)
	}
}
