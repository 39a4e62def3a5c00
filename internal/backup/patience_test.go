package backup_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline/internal/backup"
	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// A backup takes as long as the data takes to read: the store's patience,
// which bounds a request's database calls, does not cut it.
func TestBackupIsNotCutByTheStoresPatience(t *testing.T) {
	pg := storetest.Postgres(t)
	ctx := context.Background()
	if _, err := install.Init(ctx, install.Options{DataDir: pg.DataDir, DSN: pg.DSN}); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(filepath.Join(pg.DataDir, install.RecoveryIdentityFile))
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	key, err := seal.ParseKey(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, pg.DataDir, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.SetPatience(time.Nanosecond) // every call that does not opt out fails at once
	if _, err := st.SchemaStatus(ctx); err == nil {
		t.Fatal("a call with a patience of 1 ns succeeded: the test proves nothing")
	}
	var buf bytes.Buffer
	if _, err := backup.Write(ctx, &buf, backup.Source{Store: st, DataDir: pg.DataDir}, key.Recipient()); err != nil {
		t.Fatalf("a backup under a patience shorter than it: %v", err)
	}
}
