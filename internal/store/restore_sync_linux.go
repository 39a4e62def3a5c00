package store

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// syncRestoredFiles makes the blob files a restore wrote durable with one
// syncfs(2) of their file system, rather than two fsyncs a file (the file,
// then its directory entry): a restore writes thousands of files that
// nothing reads before its commit.
func syncRestoredFiles(dir string, _ []string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("failed to make the restored files durable: %w", err)
	}
	return nil
}
