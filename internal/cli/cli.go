// Package cli is the tipline command: one binary, with subcommands. Each
// subcommand lives in its own file and registers itself with register, so
// that adding one never touches another's code.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
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
	b.WriteString("  tipline help [COMMAND] show this help, or a command's with every flag\n\n" +
		"With no flags, \"tipline serve\" creates ./tipline-data on first run and serves\n" +
		"the source site on http://127.0.0.1:8080. Run \"tipline help COMMAND\" for every flag\n" +
		"of a command.\n")
	return b.String()
}

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	switch {
	case args[0] == "--version":
		args = []string{"version"}
	case isHelpFlag(args[0]) && len(args) == 1:
		fmt.Fprint(stdout, usage())
		return 0
	case isHelpFlag(args[0]):
		// "tipline help user add" is "tipline user add --help".
		args = append(args[1:], "--help")
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tipline: error: unknown command %q\nhint: run \"tipline help\" for the list of commands\n", args[0])
		return 2
	}
	err := c.run(args[1:], stdin, stdout, stderr)
	var help helpRequest
	switch {
	case errors.As(err, &help):
		fmt.Fprintf(stdout, "Usage:\n%s\n%s", strings.TrimRight(c.usage, "\n"), help.flags)
		return 0
	case err != nil && slices.ContainsFunc(args[1:], isHelpFlag):
		// A command with subcommands, asked for help before naming one.
		fmt.Fprintf(stdout, "Usage:\n%s\n\nRun \"tipline help %s SUBCOMMAND\" for a subcommand's flags.\n", strings.TrimRight(c.usage, "\n"), c.name)
		return 0
	case err != nil:
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

func isHelpFlag(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// helpRequest answers --help: the command's flags, for Main to print under
// its usage.
type helpRequest struct{ flags string }

func (helpRequest) Error() string { return "help requested" }

// parseFlags parses a command's flags. The flag package prints nothing: a
// mistake is reported once, by Main, with a hint, and --help is answered
// by Main with every flag of the command.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		var b strings.Builder
		fs.SetOutput(&b)
		b.WriteString("\nFlags:\n")
		fs.PrintDefaults()
		return helpRequest{b.String()}
	case err != nil:
		return usageError{withHint(err, "run \""+fs.Name()+" --help\" for its flags")}
	}
	return nil
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

// newFlagSet returns a command's flag set; parse it with parseFlags.
func newFlagSet(name string, _ io.Writer) *flag.FlagSet {
	return flag.NewFlagSet("tipline "+name, flag.ContinueOnError)
}
