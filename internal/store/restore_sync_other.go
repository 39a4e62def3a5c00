//go:build !linux

package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// syncRestoredFiles makes the blob files a restore wrote durable: each file,
// then their directory.
func syncRestoredFiles(dir string, names []string) error {
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return fmt.Errorf("failed to make the restored files durable: %w", err)
		}
	}
	return syncDir(dir)
}
