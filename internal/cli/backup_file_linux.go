package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// paceEvery is how much of the backup file is written between writebacks.
const paceEvery = 8 << 20

// pacedFile writes the backup file at the disk's pace: each 8 MiB is sent
// to the disk as soon as it is written, and the 8 MiB before it waited for
// and dropped from the page cache. Left to the kernel, a gigabyte of dirty
// pages went to the disk in one burst at the final fsync, and every fsync of
// the server's commits waited behind it.
type pacedFile struct {
	f        *os.File
	written  int64
	kickedTo int64 // writeback started up to here
}

func newBackupFile(f *os.File) *pacedFile { return &pacedFile{f: f} }

func (p *pacedFile) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	p.written += int64(n)
	if p.written-p.kickedTo >= paceEvery {
		fd := int(p.f.Fd())
		unix.SyncFileRange(fd, p.kickedTo, p.written-p.kickedTo, unix.SYNC_FILE_RANGE_WRITE)
		if p.kickedTo > 0 {
			prev := max(0, p.kickedTo-paceEvery)
			unix.SyncFileRange(fd, prev, p.kickedTo-prev, unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
			unix.Fadvise(fd, prev, p.kickedTo-prev, unix.FADV_DONTNEED)
		}
		p.kickedTo = p.written
	}
	return n, err
}
