package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"tipline/internal/disk"
	"tipline/internal/tip"
)

// ChunkSize is the size of one chunk row of a sealed blob, and of one write
// of a blob file. Big enough that a 1 GiB upload is a thousand inserts or
// writes, small enough to hold a few in memory per upload.
const ChunkSize = 1 << 20

// DeleteStaged deletes staging blobs that will not be adopted. A blob a tip
// or message adopted is left alone. Those it cannot delete — the database did
// not answer, as when a commit failed for that reason — are deleted by the
// next SweepStaged, not hours later with abandoned uploads.
func (s *Store) DeleteStaged(ctx context.Context, ids ...string) error {
	for i, id := range ids {
		if err := s.deleteStaged(ctx, id); err != nil {
			s.undeleted.add(ids[i:])
			return err
		}
	}
	return nil
}

// undeletedBlobs are staging blobs DeleteStaged failed to delete.
type undeletedBlobs struct {
	mu  sync.Mutex
	ids []string
}

func (u *undeletedBlobs) add(ids []string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.ids = append(u.ids, ids...)
}

func (u *undeletedBlobs) take() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	ids := u.ids
	u.ids = nil
	return ids
}

// deleteUndeleted tries again to delete what DeleteStaged could not.
func (s *Store) deleteUndeleted(ctx context.Context) (int64, error) {
	ids := s.undeleted.take()
	if len(ids) == 0 {
		return 0, nil
	}
	if err := s.DeleteStaged(ctx, ids...); err != nil {
		return 0, fmt.Errorf("failed to delete staged blobs left by failed uploads: %w", err)
	}
	return int64(len(ids)), nil
}

// deleteStaged deletes one unadopted blob: its row first, so that a file is
// never missing under a row (a crash in between leaves a file without a row,
// which sweepOrphanFiles deletes).
//
// On a full disk the row's deletion itself may fail for want of room in the
// write-ahead log: the file, which is what takes the room, then goes at once
// all the same, and the row is left to the sweeper. A staged row is read by
// nothing but its own upload's commit, which is not coming, and the sweeper
// takes a file already gone as deleted.
func (s *Store) deleteStaged(ctx context.Context, id string) error {
	res, err := s.writeExec(ctx, `DELETE FROM blobs WHERE id = ? AND tip_id IS NULL`, id)
	if errors.Is(err, disk.ErrFull) && s.files != nil {
		var adopted bool
		if qerr := s.read.QueryRowContext(ctx, s.rebind(`SELECT tip_id IS NOT NULL FROM blobs WHERE id = ?`), id).Scan(&adopted); qerr == nil && !adopted {
			return errors.Join(fmt.Errorf("failed to delete staged blob: %w", err), s.files.remove(id))
		}
	}
	if err != nil {
		return fmt.Errorf("failed to delete staged blob: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 && s.files != nil {
		return s.files.remove(id)
	}
	return nil
}

// SweepStaged deletes staging blobs started before cutoff: ciphertext whose
// key was never stored, from uploads that failed or were abandoned — and blob
// files older than cutoff that no row knows — and, first, whatever
// DeleteStaged could not delete, however recent.
func (s *Store) SweepStaged(ctx context.Context, cutoff time.Time) (int64, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	retried, err := s.deleteUndeleted(ctx)
	if err != nil {
		return 0, err
	}
	if s.files == nil {
		res, err := s.writeExec(ctx, `DELETE FROM blobs WHERE tip_id IS NULL AND staged_at IS NOT NULL AND staged_at < ?`, cutoff.Unix())
		if err != nil {
			return 0, fmt.Errorf("failed to sweep staged blobs: %w", err)
		}
		n, err := res.RowsAffected()
		return retried + n, err
	}
	ids, err := s.queryStrings(ctx, `SELECT id FROM blobs WHERE tip_id IS NULL AND staged_at IS NOT NULL AND staged_at < ?`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("failed to sweep staged blobs: %w", err)
	}
	for _, id := range ids {
		if err := s.deleteStaged(ctx, id); err != nil {
			return 0, fmt.Errorf("failed to sweep staged blobs: %w", err)
		}
	}
	orphans, err := s.sweepOrphanFiles(ctx, cutoff)
	return retried + int64(len(ids)) + orphans, err
}

// insertBlob stores a small sealed value as an adopted blob inside tx.
func (s *Store) insertBlob(ctx context.Context, tx *sql.Tx, tipID string, sealed []byte) (string, error) {
	id := tip.NewID()
	if _, err := s.exec(ctx, tx, `INSERT INTO blobs (id, tip_id, size) VALUES (?, ?, ?)`, id, tipID, len(sealed)); err != nil {
		return "", err
	}
	for seq := 0; seq*ChunkSize < len(sealed) || seq == 0; seq++ {
		end := min((seq+1)*ChunkSize, len(sealed))
		if _, err := s.exec(ctx, tx, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, id, seq, sealed[seq*ChunkSize:end]); err != nil {
			return "", err
		}
	}
	return id, nil
}

// adopt makes staging blobs part of a tip, inside tx. A blob already swept
// makes the whole commit fail rather than leave a tip missing a file.
func (s *Store) adopt(ctx context.Context, tx *sql.Tx, tipID string, ids []string) error {
	for _, id := range ids {
		res, err := s.exec(ctx, tx, `UPDATE blobs SET tip_id = ?, staged_at = NULL WHERE id = ? AND tip_id IS NULL AND staged_at IS NOT NULL`, tipID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeConflict, "an uploaded file expired before the report was saved: please send it again")
		}
	}
	return nil
}

// Blob is a stored sealed blob: read it sequentially or at random, then
// Close it.
type Blob struct {
	s    *Store
	ctx  context.Context
	id   string
	size int64
	// A blob file: open until read to its end (a download or an export
	// that reads it through need not close it), opened again if read again.
	inFile bool
	fileMu sync.Mutex
	file   *os.File
	// one cached chunk, so sequential ReadAt calls cost one query per chunk
	cached    []byte
	cachedSeq int
}

// OpenBlob returns a blob of tipID. A blob of another tip is not found.
func (s *Store) OpenBlob(ctx context.Context, tipID, id string) (*Blob, error) {
	b, err := s.openBlob(ctx, id, `SELECT size, in_file FROM blobs WHERE id = ? AND tip_id = ?`, id, tipID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tip.Errorf(tip.CodeNotFound, "no such file")
	}
	if err != nil {
		return nil, fmt.Errorf("failed to open blob: %w", err)
	}
	return b, nil
}

// OpenStagedBlob returns a staging blob, for processing before adoption.
func (s *Store) OpenStagedBlob(ctx context.Context, id string) (*Blob, error) {
	b, err := s.openBlob(ctx, id, `SELECT size, in_file FROM blobs WHERE id = ? AND tip_id IS NULL`, id)
	if err != nil {
		return nil, fmt.Errorf("failed to open staged blob: %w", err)
	}
	return b, nil
}

func (s *Store) openBlob(ctx context.Context, id, query string, args ...any) (*Blob, error) {
	b := &Blob{s: s, ctx: ctx, id: id, cachedSeq: -1}
	var inFile int
	if err := s.read.QueryRowContext(ctx, s.rebind(query), args...).Scan(&b.size, &inFile); err != nil {
		return nil, err
	}
	if inFile == 1 {
		if s.files == nil {
			return nil, errors.New("the blob is a file, and this store has no blob folder")
		}
		f, err := s.files.open(id)
		if err != nil {
			return nil, err
		}
		b.inFile, b.file = true, f
	}
	return b, nil
}

// Close releases the blob's file, if it has one open.
func (b *Blob) Close() error {
	b.fileMu.Lock()
	defer b.fileMu.Unlock()
	if b.file == nil {
		return nil
	}
	err := b.file.Close()
	b.file = nil
	return err
}

// Size returns the sealed size of the blob.
func (b *Blob) Size() int64 { return b.size }

func (b *Blob) chunk(seq int) ([]byte, error) {
	if seq == b.cachedSeq {
		return b.cached, nil
	}
	var data []byte
	err := b.s.read.QueryRowContext(b.ctx, b.s.rebind(`SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?`), b.id, seq).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("failed to read chunk %d of blob: %w", seq, err)
	}
	b.cached, b.cachedSeq = data, seq
	return data, nil
}

// ReadAt reads sealed bytes at off.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if b.inFile {
		return b.readFileAt(p, off)
	}
	n := 0
	for len(p) > 0 {
		if off >= b.size {
			return n, io.EOF
		}
		data, err := b.chunk(int(off / ChunkSize)) // every chunk but the last is ChunkSize long
		if err != nil {
			return n, err
		}
		within := int(off % ChunkSize)
		if within >= len(data) {
			return n, io.ErrUnexpectedEOF
		}
		k := copy(p, data[within:])
		p, n, off = p[k:], n+k, off+int64(k)
	}
	return n, nil
}

// readFileAt reads a blob file, which ends at the size recorded when it was
// closed.
func (b *Blob) readFileAt(p []byte, off int64) (int, error) {
	if off >= b.size {
		return 0, io.EOF
	}
	short := int64(len(p)) > b.size-off
	if short {
		p = p[:b.size-off]
	}
	b.fileMu.Lock()
	defer b.fileMu.Unlock()
	if b.file == nil {
		f, err := b.s.files.open(b.id)
		if err != nil {
			return 0, err
		}
		b.file = f
	}
	n, err := b.file.ReadAt(p, off)
	if off+int64(n) == b.size {
		b.file.Close() // read to the end
		b.file = nil
	}
	if n < len(p) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF // the file is shorter than recorded
		}
		return n, err
	}
	if short {
		return n, io.EOF
	}
	return n, nil
}

// ReadSmallBlob reads a small sealed blob of tipID whole, in one query: a
// message body, a note, a screening result. A blob of another tip is not
// found. Files go through OpenBlob, which streams.
func (s *Store) ReadSmallBlob(ctx context.Context, tipID, id string) ([]byte, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT c.data FROM blobs b JOIN blob_chunks c ON c.blob_id = b.id
		WHERE b.id = ? AND b.tip_id = ? ORDER BY c.seq`), id, tipID)
	if err != nil {
		return nil, fmt.Errorf("failed to read blob: %w", err)
	}
	defer rows.Close()
	var out []byte
	for rows.Next() {
		var chunk []byte
		if err := rows.Scan(&chunk); err != nil {
			return nil, err
		}
		out = append(out, chunk...)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, tip.Errorf(tip.CodeNotFound, "no such blob")
	}
	return out, nil
}

// Reader returns a sequential reader of the sealed bytes.
func (b *Blob) Reader() io.Reader { return io.NewSectionReader(b, 0, b.size) }
