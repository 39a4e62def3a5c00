package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"tipline/internal/install"
	"tipline/internal/seal"
	"tipline/internal/store"
)

// Errors a restore refuses with; nothing is left behind in the target.
var (
	ErrWrongIdentity = errors.New("this identity does not open the backup")
	ErrDamaged       = errors.New("the backup is damaged or was changed")
	ErrTargetInUse   = errors.New("the target is not empty")
)

// Target is where a backup is restored.
type Target struct {
	DataDir string // a folder that does not exist yet, or an empty one
	DSN     string // PostgreSQL: an empty database (or schema); "" for SQLite in DataDir
}

// Restore restores the backup read from src, opened with identity, into an
// empty target: all of it, or nothing.
func Restore(ctx context.Context, src io.Reader, identity *seal.Key, to Target) (Summary, error) {
	ctx = store.WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	created, err := claimFolder(to.DataDir)
	if err != nil {
		return Summary{}, err
	}
	plain, err := seal.Open(src, identity)
	if err == seal.ErrCannotOpen {
		err = ErrWrongIdentity
	} else if err != nil {
		err = damaged(err)
	}
	if err != nil {
		return Summary{}, errors.Join(err, release(to.DataDir, created))
	}
	work, err := os.MkdirTemp(to.DataDir, ".restore-")
	if err != nil {
		return Summary{}, errors.Join(fmt.Errorf("failed to restore: %w", err), release(to.DataDir, created))
	}
	sum, err := restoreInto(ctx, plain, work, to)
	if err == nil {
		err = moveIn(work, to.DataDir, to.DSN == "")
	}
	if err != nil {
		os.RemoveAll(work)
		return Summary{}, errors.Join(err, release(to.DataDir, created))
	}
	return sum, nil
}

// claimFolder makes sure dir is empty, creating it if need be.
func claimFolder(dir string) (created bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(dir, 0o700); err != nil {
			return false, fmt.Errorf("failed to create the data folder: %w", err)
		}
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("failed to read the data folder: %w", err)
	}
	for _, e := range entries {
		if e.Name() == install.KeyFile || e.Name() == store.DBFile {
			return false, fmt.Errorf("%w: %s already holds a Tipline installation", ErrTargetInUse, dir)
		}
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("%w: %s holds %s", ErrTargetInUse, dir, entries[0].Name())
	}
	return false, nil
}

// release removes the data folder if the restore created it.
func release(dir string, created bool) error {
	if !created {
		return nil
	}
	return os.Remove(dir)
}

// restoreInto loads the backup into the database (SQLite in work, or
// PostgreSQL) and writes the data folder's files into work.
func restoreInto(ctx context.Context, plain io.Reader, work string, to Target) (Summary, error) {
	st, err := store.OpenUnmigrated(work, to.DSN)
	if err != nil {
		return Summary{}, err
	}
	defer st.Close()
	rd := &reader{tar: tar.NewReader(damageReader{plain}), plain: plain}
	m, err := rd.manifest()
	if err != nil {
		return Summary{}, err
	}
	rs, err := st.BeginRestore(ctx, m.Schema, m.Tables)
	if err != nil {
		return Summary{}, err
	}
	end, err := rd.load(m, rs, work)
	if err == nil {
		err = finish(m, end, rs)
	}
	if err != nil {
		rs.Rollback()
		return Summary{}, err
	}
	return summarise(m, end), nil
}

func finish(m Manifest, end End, rs *store.Restorer) error {
	if err := rs.Shred(end.ShreddedTips...); err != nil {
		return err
	}
	entries, head, err := rs.AuditHead()
	if err != nil {
		return err
	}
	if entries != m.Audit.Entries || head != m.Audit.Head {
		return fmt.Errorf("%w: the restored audit log ends at entry %d (%s), the manifest says %d (%s)", ErrDamaged, entries, head, m.Audit.Entries, m.Audit.Head)
	}
	if err := rs.Commit(); err != nil {
		if strings.Contains(err.Error(), "the backup says") || strings.Contains(err.Error(), "is not in the backup") {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return err
	}
	return nil
}

type reader struct {
	tar   *tar.Reader
	plain io.Reader
	parts []Part
}

// next returns the next entry, its content hashed as it is read.
func (rd *reader) next() (string, io.Reader, *hashing, error) {
	hdr, err := rd.tar.Next()
	if err == io.EOF {
		return "", nil, nil, fmt.Errorf("%w: it ends before %s", ErrDamaged, endName)
	}
	if err != nil {
		return "", nil, nil, damaged(err)
	}
	if hdr.Typeflag != tar.TypeReg {
		return "", nil, nil, fmt.Errorf("%w: %s is not a file", ErrDamaged, hdr.Name)
	}
	h := newHashing()
	return hdr.Name, io.TeeReader(rd.tar, h), h, nil
}

func (rd *reader) manifest() (Manifest, error) {
	var m Manifest
	name, r, h, err := rd.next()
	if err != nil {
		return m, err
	}
	if name != manifestName {
		return m, fmt.Errorf("%w: it starts with %s, not %s", ErrDamaged, name, manifestName)
	}
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return m, damaged(err)
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return m, damaged(err)
	}
	if m.Format != Format || m.Version != Version {
		return m, fmt.Errorf("this is not a Tipline backup of format %d (it says %q version %d)", Version, m.Format, m.Version)
	}
	rd.parts = append(rd.parts, h.part(name))
	return m, nil
}

// load reads every part after the manifest, up to end.json, and checks it.
func (rd *reader) load(m Manifest, rs *store.Restorer, work string) (End, error) {
	var end End
	for {
		name, r, h, err := rd.next()
		if err != nil {
			return end, err
		}
		if name == endName {
			return end, rd.end(r, &end)
		}
		switch {
		case strings.HasPrefix(name, dataPrefix) && slices.Contains(m.DataFiles, strings.TrimPrefix(name, dataPrefix)) && slices.Contains(dataFiles, strings.TrimPrefix(name, dataPrefix)):
			err = writeDataFile(filepath.Join(work, strings.TrimPrefix(name, dataPrefix)), r)
		case strings.HasPrefix(name, tablePrefix):
			err = loadRows(rs, strings.Split(strings.TrimPrefix(name, tablePrefix), "/")[0], r)
		case strings.HasPrefix(name, blobPrefix):
			err = rs.BlobFile(strings.TrimPrefix(name, blobPrefix), r)
		default:
			err = fmt.Errorf("%w: unexpected part %s", ErrDamaged, name)
		}
		if err != nil {
			return end, err
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return end, damaged(err)
		}
		rd.parts = append(rd.parts, h.part(name))
	}
}

// end checks end.json against the parts read, and that the sealed stream
// ends right after the tar stream does.
func (rd *reader) end(r io.Reader, end *End) error {
	if err := json.NewDecoder(r).Decode(end); err != nil {
		return damaged(err)
	}
	if !slices.Equal(end.Parts, rd.parts) {
		return fmt.Errorf("%w: its parts do not match the list at its end", ErrDamaged)
	}
	var total int64
	for _, p := range rd.parts {
		total += p.Bytes
	}
	if total != end.TotalBytes {
		return fmt.Errorf("%w: %d bytes of parts, the list at its end says %d", ErrDamaged, total, end.TotalBytes)
	}
	if _, err := rd.tar.Next(); err != io.EOF {
		return fmt.Errorf("%w: something follows %s", ErrDamaged, endName)
	}
	if n, err := io.Copy(io.Discard, rd.plain); err != nil || n > 0 {
		return fmt.Errorf("%w: %d bytes after the archive (%v)", ErrDamaged, n, err)
	}
	return nil
}

func loadRows(rs *store.Restorer, table string, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := rs.Row(table, line); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return damaged(err)
		}
	}
}

func writeDataFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("failed to restore %s: %w", filepath.Base(path), err)
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// moveIn moves the restored files from work into dir, the key file last, so
// that dir holds an installation only once everything else is in place.
func moveIn(work, dir string, sqlite bool) error {
	var names []string
	if sqlite {
		names = append(names, store.BlobDir, store.DBFile, store.DBFile+"-wal", store.DBFile+"-shm")
	}
	for i := len(dataFiles) - 1; i >= 0; i-- {
		names = append(names, dataFiles[i])
	}
	var moved []string
	for _, name := range names {
		err := os.Rename(filepath.Join(work, name), filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			for _, m := range moved {
				os.RemoveAll(filepath.Join(dir, m))
			}
			return fmt.Errorf("failed to move the restored %s into place: %w", name, err)
		}
		moved = append(moved, name)
	}
	if err := os.Remove(work); err != nil {
		return fmt.Errorf("failed to finish the restore: %w", err)
	}
	return syncDir(dir)
}

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

// damageReader marks the sealed stream's read errors (a byte changed, a
// truncated file) as damage.
type damageReader struct{ r io.Reader }

func (d damageReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = damaged(err)
	}
	return n, err
}

func damaged(err error) error {
	if errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}
