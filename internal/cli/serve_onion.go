package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"tipline/internal/install"
	"tipline/internal/onion"
)

// onionService checks the onion flags of serve and, with --tor-control,
// loads (or makes, the first time) the onion service's key.
func onionService(dataDir string, keys *install.Keys, address, control string) (*onion.Key, error) {
	switch {
	case control != "" && address != "":
		return nil, usageError{withHint(errors.New("--onion and --tor-control both name the onion service"),
			"use --tor-control to let Tipline publish its own, or --onion for one that torrc publishes")}
	case address != "":
		if err := onion.ValidAddress(address); err != nil {
			return nil, usageError{withHint(err, "give the address Tor wrote to the service's hostname file, or use --tor-control")}
		}
		return nil, nil
	case control == "":
		return nil, nil
	}
	return onion.LoadOrCreateKey(filepath.Join(dataDir, onion.KeyFile), keys.LocalSecret())
}

// readSecretFile reads a one-line secret from a file ("" for no file).
func readSecretFile(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", withHint(err, "check --tor-control-password-file")
	}
	return strings.TrimSpace(string(b)), nil
}
