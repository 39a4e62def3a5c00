package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"tipline/internal/store"
	"tipline/internal/store/storetest"
)

// The database and its WAL and shared-memory files, the blob folder and the
// blob files are private to Tipline's user, whatever the umask.
func TestSQLiteFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	b := storetest.Backend{Name: "sqlite", DataDir: t.TempDir()}
	s, err := store.Open(context.Background(), b.DataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.EndDeskSessions(context.Background(), "nobody", ""); err != nil { // a write, so the WAL exists
		t.Fatal(err)
	}
	for _, name := range []string{store.DBFile, store.DBFile + "-wal", store.DBFile + "-shm", store.BlobDir} {
		info, err := os.Stat(filepath.Join(b.DataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v: others may read it", name, perm)
		}
	}
}
