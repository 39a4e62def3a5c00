// Package cli is the tipline command: one binary, with subcommands.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

const usage = `tipline — a secure, anonymous tip line

Usage:
  tipline serve [--data DIR] [--public ADDR] [--desk ADDR] [--db DSN]
                         run the source site (and reserve the desk address)
  tipline init --data DIR [--db DSN] [--recovery-recipient age1...]
                         create an installation
  tipline help           show this help

With no flags, "tipline serve" creates ./tipline-data on first run and serves
the source site on http://127.0.0.1:8080.
`

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(args[1:], stdout, stderr)
	case "init":
		err = runInit(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "tipline: error: unknown command %q\nhint: run \"tipline help\" for the list of commands\n", args[0])
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "tipline: error: %v\n", err)
		var h hinted
		if errors.As(err, &h) {
			fmt.Fprintf(stderr, "hint: %s\n", h.hint)
		}
		return 1
	}
	return 0
}

// hinted is an error with a line that tells the user what to do.
type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string { return h.err.Error() }
func (h hinted) Unwrap() error { return h.err }

func withHint(err error, hint string) error { return hinted{err, hint} }

func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("tipline "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}
