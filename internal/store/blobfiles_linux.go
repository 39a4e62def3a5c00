package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// createBlobFile creates a blob file for direct I/O (O_DIRECT) where the file
// system allows it: an upload then goes from the sealing buffers to the disk
// without a copy into the page cache, and without filling the cache with
// ciphertext nobody will read soon. Where it does not (tmpfs, some network
// file systems), the file is written through the cache.
func createBlobFile(path string) (f *os.File, direct bool, err error) {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	f, err = os.OpenFile(path, flags|unix.O_DIRECT, 0o600)
	if errors.Is(err, unix.EINVAL) {
		f, err = os.OpenFile(path, flags, 0o600)
		return f, false, err
	}
	return f, err == nil, err
}

// endDirect switches f to writing through the page cache: for the last,
// short chunk, whose length direct I/O would refuse.
func endDirect(f *os.File) error {
	fd := int(f.Fd())
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	_, err = unix.FcntlInt(uintptr(fd), unix.F_SETFL, fl&^unix.O_DIRECT)
	return err
}

// isDirectRefusal reports whether a direct write was refused for its
// alignment, in which case nothing was written.
func isDirectRefusal(err error) bool { return errors.Is(err, unix.EINVAL) }

// startWriteback asks the kernel to start writing a range of f to disk,
// without waiting for it. A failure only means the final fsync waits longer.
func startWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
