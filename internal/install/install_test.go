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
