package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"tipline/internal/store"
)

// version and commit are stamped in by scripts/build:
//
//	-ldflags "-X tipline/internal/cli.version=$(git describe --tags --always --dirty)
//	          -X tipline/internal/cli.commit=$(git rev-parse --short HEAD)"
//
// Built without them ("go install", "go run"), the binary says what Go
// recorded instead: the module version and the VCS revision when Go stamped
// them, else "devel" and "unknown".
var (
	version string
	commit  string
)

func init() {
	register(command{name: "version", order: 10, run: runVersion, usage: "" +
		"  tipline version        print the version, commit, Go version and database schema (also --version)"})
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{withHint(fmt.Errorf("version takes no arguments, got %q", fs.Arg(0)), "tipline version")}
	}
	bi, _ := debug.ReadBuildInfo()
	v := describeBuild(version, commit, bi)
	fmt.Fprintf(stdout, "tipline %s\ncommit: %s\ngo: %s\nschema: %s\n", v.version, v.commit, runtime.Version(), store.SchemaVersion())
	return nil
}

type buildDescription struct{ version, commit string }

// describeBuild prefers what scripts/build stamped in, and falls back on
// what the Go toolchain recorded in the binary (bi may be nil).
func describeBuild(stampedVersion, stampedCommit string, bi *debug.BuildInfo) buildDescription {
	d := buildDescription{version: stampedVersion, commit: stampedCommit}
	var revision string
	var modified bool
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if d.version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			d.version = bi.Main.Version
		}
	}
	if d.commit == "" && revision != "" {
		d.commit = revision[:min(12, len(revision))]
		if modified {
			d.commit += " (with uncommitted changes)"
		}
	}
	if d.version == "" {
		d.version = "devel"
	}
	if d.commit == "" {
		d.commit = "unknown (built without version control information: use scripts/build)"
	}
	return d
}
