// Package cli is the tipline command: one binary, with subcommands. Each
// subcommand lives in its own file and registers itself with register, so
// that adding one never touches another's code.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one subcommand.
type command struct {
	name  string
	usage string // one or more lines for the help text
	run   func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
	order int // position in the help text
}

var commands = map[string]command{}

// register adds a subcommand; call it from an init function.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("cli: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func usage() string {
	var list []command
	for _, c := range commands {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].order != list[j].order {
			return list[i].order < list[j].order
		}
		return list[i].name < list[j].name
	})
	var b strings.Builder
	b.WriteString("tipline — a secure, anonymous tip line\n\nUsage:\n")
	for _, c := range list {
		b.WriteString(c.usage)
		if !strings.HasSuffix(c.usage, "\n") {
			b.WriteString("\n")
		}
	}
	b.WriteString("  tipline help           show this help\n\n" +
		"With no flags, \"tipline serve\" creates ./tipline-data on first run and serves\n" +
		"the source site on http://127.0.0.1:8080.\n")
	return b.String()
}

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage())
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tipline: error: unknown command %q\nhint: run \"tipline help\" for the list of commands\n", args[0])
		return 2
	}
	err := c.run(args[1:], stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "tipline: error: %v\n", err)
		var h hinted
		if errors.As(err, &h) {
			fmt.Fprintf(stderr, "hint: %s\n", h.hint)
		}
		var u usageError
		if errors.As(err, &u) {
			return 2
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

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("tipline "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}
