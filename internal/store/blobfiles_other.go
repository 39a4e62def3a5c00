//go:build !linux

package store

import "os"

// createBlobFile creates a blob file, written through the page cache.
func createBlobFile(path string) (*os.File, bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	return f, false, err
}

func endDirect(*os.File) error { return nil }

func isDirectRefusal(error) bool { return false }

// startWriteback does nothing where sync_file_range(2) does not exist: the
// fsync when the file is closed then writes all of it.
func startWriteback(*os.File, int64, int64) {}
