package install_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tipline/internal/install"
	"tipline/internal/seal"
)

func TestInitWithAnOfflineRecoveryRecipient(t *testing.T) {
	dir := t.TempDir()
	offline, _ := seal.NewKey()
	res, err := install.Init(context.Background(), install.Options{DataDir: dir, RecoveryRecipient: offline.Recipient().String()})
	if err != nil {
		t.Fatal(err)
	}
	if res.RecoveryIdentityPath != "" {
		t.Fatal("with an offline recipient, init must not write a recovery identity")
	}
	if _, err := os.Stat(filepath.Join(dir, install.RecoveryIdentityFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a recovery identity file exists")
	}
	keys, err := install.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if keys.RecoveryRecipient != offline.Recipient().String() {
		t.Fatal("the key file does not hold the given recipient")
	}
	info, _ := os.Stat(filepath.Join(dir, install.KeyFile))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("the key file is %v, want 0600", info.Mode().Perm())
	}
	if _, err := install.Init(context.Background(), install.Options{DataDir: dir}); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("a second init must refuse to overwrite the key file, got %v", err)
	}
}

func TestInitGeneratesARecoveryIdentityThatOpens(t *testing.T) {
	dir := t.TempDir()
	res, err := install.Init(context.Background(), install.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.RecoveryIdentityPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	id, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := install.Load(dir)
	r, _ := keys.Recovery()
	sealed, _ := seal.SealBytes([]byte("x"), r)
	if _, err := seal.OpenBytes(sealed, id); err != nil {
		t.Fatal("the written identity does not open what is sealed to the installation's recipient")
	}
}

func TestLoadRefusesAMissingOrDamagedKeyFile(t *testing.T) {
	if _, err := install.Load(t.TempDir()); !errors.Is(err, install.ErrNotInitialised) {
		t.Fatalf("want ErrNotInitialised, got %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, install.KeyFile), []byte(`{"version":1}`), 0o600)
	if _, err := install.Load(dir); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a damaged key file must be refused clearly, got %v", err)
	}
	if _, err := install.Init(context.Background(), install.Options{DataDir: t.TempDir(), RecoveryRecipient: "ssh-rsa AAAA"}); err == nil || !strings.Contains(err.Error(), "--recovery-recipient") {
		t.Fatalf("a bad recipient must name the flag, got %v", err)
	}
}

// The recovery identity that init writes, and any other age private key put
// in the data folder, is found there until it is moved away; an
// installation made with an offline recipient holds none.
func TestLeftBehindFindsPrivateKeysInTheDataFolder(t *testing.T) {
	dir := t.TempDir()
	if _, err := install.Init(context.Background(), install.Options{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	identity := filepath.Join(dir, install.RecoveryIdentityFile)
	if found, err := install.LeftBehind(dir); err != nil || len(found) != 1 || found[0] != identity {
		t.Fatalf("found %v, %v; want %s", found, err, identity)
	}
	if err := os.Rename(identity, filepath.Join(dir, "copy-for-grant.txt")); err != nil {
		t.Fatal(err)
	}
	if found, _ := install.LeftBehind(dir); len(found) != 1 || filepath.Base(found[0]) != "copy-for-grant.txt" {
		t.Fatalf("a recovery identity under another name was not found: %v", found)
	}
	os.Remove(filepath.Join(dir, "copy-for-grant.txt"))
	if found, _ := install.LeftBehind(dir); len(found) != 0 {
		t.Fatalf("found %v in a data folder without private keys", found)
	}

	offline, _ := seal.NewKey()
	dir = t.TempDir()
	if _, err := install.Init(context.Background(), install.Options{DataDir: dir, RecoveryRecipient: offline.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	if found, _ := install.LeftBehind(dir); len(found) != 0 {
		t.Fatalf("found %v with an offline recipient", found)
	}
	classic := filepath.Join(dir, "old.key")
	os.WriteFile(classic, []byte("# created by age-keygen\nAGE-SECRET-KEY-1QQQQ\n"), 0o600)
	if found, _ := install.LeftBehind(dir); len(found) != 1 || found[0] != classic {
		t.Fatalf("a classic age identity was not found: %v", found)
	}
}
