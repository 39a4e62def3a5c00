package cli

import (
	"errors"
	"fmt"
	"io"

	"tipline/internal/install"
	"tipline/internal/seal"
)

func init() {
	register(command{name: "keygen", order: 9, run: runKeygen, usage: "" +
		"  tipline keygen -o FILE  make an offline recovery key (post-quantum age identity) and print its\n" +
		"                         public key, for \"tipline init --recovery-recipient\"; needs no network"})
}

// runKeygen makes the offline recovery key with the same binary that runs
// the tip line, so the offline machine needs nothing else: a post-quantum
// hybrid identity (ML-KEM-768 with X25519), as "age-keygen -pq" makes.
func runKeygen(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("keygen", stderr)
	out := fs.String("o", "", "the identity file to create (required; never overwritten)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{withHint(errors.New("-o FILE is required"), "tipline keygen -o /media/offline/recovery-identity.txt")}
	}
	id, err := seal.NewKey()
	if err != nil {
		return err
	}
	if err := install.WriteIdentity(*out, id, "It opens every report of the installation whose recovery recipient it is. Keep it OFFLINE."); err != nil {
		return withHint(err, "choose a file that does not exist yet")
	}
	fmt.Fprintln(stdout, id.Recipient())
	return nil
}
