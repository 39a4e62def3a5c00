// Command tipline runs a secure tip line. See `tipline help`.
package main

import (
	"os"

	"tipline/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
