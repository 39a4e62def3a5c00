package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
	"unsafe"
)

// BlobDir is the folder, inside an SQLite installation's data folder, that
// holds uploaded files as sealed blob files.
//
// Why files and not chunk rows, as on PostgreSQL: SQLite writes every byte of
// a row twice — into the WAL, then into the database at the checkpoint — and a
// 1 GiB upload through it ran at a seventh of `age`'s speed on the same disk
// (bench/run upload, commit f8d9975). A blob file is written once, as it
// arrives. It holds the same ciphertext a chunk row would, sealed to a tip key
// that is only in the database: a file alone opens nothing. The data folder
// stays the one thing to back up (the key file already lives there).
// PostgreSQL installations keep chunk rows, so that several app servers can
// share one database and no disk.
const BlobDir = "blobs"

// writebackEvery is how many bytes a blob file is written between requests
// to the kernel to start writing them to disk, so that the fsync when the
// file is closed has little left to wait for (the kernel would otherwise
// hold up to a tenth of memory dirty before it starts).
const writebackEvery = 8 << 20

// blobFiles is the folder of blob files.
type blobFiles struct{ dir string }

// openBlobFiles makes sure dataDir/blobs exists, durably.
func openBlobFiles(dataDir string) (*blobFiles, error) {
	dir := filepath.Join(dataDir, BlobDir)
	err := os.Mkdir(dir, 0o700)
	switch {
	case err == nil:
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return nil, fmt.Errorf("failed to create %s: %w", dir, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("failed to create %s: %w", dir, err)
	}
	return &blobFiles{dir: dir}, nil
}

func (b *blobFiles) path(id string) string { return filepath.Join(b.dir, id) }

// create starts a blob file. Its blobs row must already be committed, so
// that the sweeper knows of every file.
func (b *blobFiles) create(id string) (*fileSink, error) {
	f, direct, err := createBlobFile(b.path(id))
	if err != nil {
		return nil, fmt.Errorf("failed to create blob file: %w", err)
	}
	return &fileSink{f: f, dir: b.dir, direct: direct}, nil
}

func (b *blobFiles) open(id string) (*os.File, error) {
	f, err := os.Open(b.path(id))
	if err != nil {
		return nil, fmt.Errorf("failed to open blob file: %w", err)
	}
	return f, nil
}

// remove deletes blob files, each overwritten first (see wipeHeader); one
// already gone is no error.
func (b *blobFiles) remove(ids ...string) error {
	var errs []error
	for _, id := range ids {
		err := wipeHeader(b.path(id))
		if err == nil {
			err = os.Remove(b.path(id))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("failed to delete blob file: %w", err))
		}
	}
	return errors.Join(errs...)
}

// wipeBytes is how much of a blob file is overwritten before it is
// unlinked: the age header — the file key wrapped to the tip's key, under
// 2 KiB for a hybrid post-quantum recipient — the payload nonce after it,
// and the rest of the first 64 KiB payload chunk.
const wipeBytes = 64 << 10

// wipeHeader overwrites the start of a blob file with zeros, durably. A blob
// file is ciphertext, and once the file key in its header is gone no key —
// not the tip's, not one kept in an old backup of the database — opens the
// rest: so the header is what is worth overwriting, at the cost of one small
// write and an fsync, where overwriting a 1 GiB file would cost a gigabyte.
// The fsync must come before the unlink: the kernel drops the unwritten
// pages of a deleted file. On ext4 and XFS an overwrite lands on the same
// blocks; on a copy-on-write file system (btrfs, ZFS), under snapshots, or
// behind an SSD's wear levelling, the old blocks may survive: there, only
// an encrypted volume keeps them unreadable.
func wipeHeader(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err == nil {
		_, err = f.WriteAt(make([]byte, min(info.Size(), wipeBytes)), 0)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sweepOrphans deletes blob files older than cutoff that no blobs row knows:
// left by a crash between a row's deletion and its file's (a shredded tip, a
// discarded upload). They are ciphertext whose key is gone or never stored.
func (s *Store) sweepOrphanFiles(ctx context.Context, cutoff time.Time) (int64, error) {
	entries, err := os.ReadDir(s.files.dir)
	if err != nil {
		return 0, fmt.Errorf("failed to list blob files: %w", err)
	}
	// Listed before the rows are read: a file created after the listing is
	// not considered, and one listed has had its row since before it existed.
	ids, err := s.queryStrings(ctx, `SELECT id FROM blobs WHERE in_file = 1`)
	if err != nil {
		return 0, fmt.Errorf("failed to list blob files: %w", err)
	}
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	var n int64
	for _, e := range entries {
		name := e.Name()
		if known[name] || !e.Type().IsRegular() || !looksLikeID(name) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := s.files.remove(name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// looksLikeID reports whether name is a blob id (tip.NewID: 26 characters of
// lower-case base32), so that the sweeper deletes nothing else.
func looksLikeID(name string) bool {
	if len(name) != 26 {
		return false
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// fileSink writes a blob file as its chunks arrive: directly to the disk
// while the chunks are whole and aligned (see createBlobFile), else through
// the page cache, asking the kernel to start writing every writebackEvery.
type fileSink struct {
	f        *os.File
	dir      string
	direct   bool
	written  int64
	kickedTo int64 // writeback requested up to here
}

// directAlign is the alignment direct I/O needs of a write's memory, offset
// and length. 4096 is what Linux file systems ask on today's disks; a disk
// that asks more refuses the write, and the sink then writes through the cache.
const directAlign = 4096

func (s *fileSink) write(p []byte) error {
	if s.direct && (len(p)%directAlign != 0 || !isAligned(p)) {
		if err := s.endDirect(); err != nil {
			return err
		}
	}
	_, err := s.f.Write(p)
	if err != nil && s.direct && isDirectRefusal(err) {
		if err := s.endDirect(); err != nil {
			return err
		}
		_, err = s.f.Write(p)
	}
	if err != nil {
		return fmt.Errorf("failed to write blob file: %w", err)
	}
	s.written += int64(len(p))
	if !s.direct && s.written-s.kickedTo >= writebackEvery {
		startWriteback(s.f, s.kickedTo, s.written-s.kickedTo)
		s.kickedTo = s.written
	}
	return nil
}

func (s *fileSink) endDirect() error {
	if err := endDirect(s.f); err != nil {
		return fmt.Errorf("failed to write blob file: %w", err)
	}
	s.direct = false
	s.kickedTo = s.written // what was written directly is not in the cache
	return nil
}

// isAligned reports whether p starts at a directAlign boundary in memory.
func isAligned(p []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(p)))%directAlign == 0
}

// newChunkBuffer allocates an empty chunk buffer that starts at a
// directAlign boundary, so that a blob file can be written from it directly.
func newChunkBuffer() []byte {
	b := make([]byte, ChunkSize+directAlign)
	skip := (directAlign - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%directAlign)) % directAlign
	return b[skip : skip : skip+ChunkSize]
}

// finish makes the file durable — its bytes, then its directory entry —
// before the blob can be adopted: the tip's commit says nothing about files.
func (s *fileSink) finish() error {
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(s.dir)
	}
	if err != nil {
		return fmt.Errorf("failed to write blob file: %w", err)
	}
	return nil
}

func (s *fileSink) abort() { s.f.Close() }

// syncDir fsyncs a directory, so that the entries created in it survive a
// power loss.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
