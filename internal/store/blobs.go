package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"tipline/internal/tip"
)

// ChunkSize is the size of one chunk row of a sealed blob. Big enough that a
// 1 GiB upload is a thousand inserts, small enough to hold in memory per
// upload.
const ChunkSize = 1 << 20

// BlobWriter streams sealed bytes into a staging blob, one chunk row at a
// time, each in its own short statement — never inside a transaction, so a
// slow upload over Tor does not hold SQLite's single writer.
type BlobWriter struct {
	s    *Store
	ctx  context.Context
	id   string
	buf  []byte
	seq  int
	size int64
	err  error
}

// NewStagedBlob starts a staging blob. Until a tip or message adopts it, the
// sweeper may delete it.
func (s *Store) NewStagedBlob(ctx context.Context) (*BlobWriter, error) {
	id := tip.NewID()
	if _, err := s.exec(ctx, s.write, `INSERT INTO blobs (id, staged_at) VALUES (?, ?)`, id, time.Now().Unix()); err != nil {
		return nil, fmt.Errorf("failed to stage blob: %w", err)
	}
	return &BlobWriter{s: s, ctx: ctx, id: id, buf: make([]byte, 0, ChunkSize)}, nil
}

// ID returns the blob's id.
func (w *BlobWriter) ID() string { return w.id }

// Size returns the number of sealed bytes written so far.
func (w *BlobWriter) Size() int64 { return w.size + int64(len(w.buf)) }

func (w *BlobWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p, n = p[k:], n+k
		if len(w.buf) == cap(w.buf) {
			if err := w.flush(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (w *BlobWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.s.exec(w.ctx, w.s.write, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, w.id, w.seq, w.buf)
	if err != nil {
		w.err = fmt.Errorf("failed to store chunk: %w", err)
		return w.err
	}
	w.seq++
	w.size += int64(len(w.buf))
	w.buf = w.buf[:0]
	return nil
}

// Close writes the last chunk and records the blob's size.
func (w *BlobWriter) Close() error {
	if err := w.flush(); err != nil {
		return err
	}
	if _, err := w.s.exec(w.ctx, w.s.write, `UPDATE blobs SET size = ? WHERE id = ?`, w.size, w.id); err != nil {
		return fmt.Errorf("failed to finish blob: %w", err)
	}
	return nil
}

// DeleteStaged deletes staging blobs that will not be adopted.
func (s *Store) DeleteStaged(ctx context.Context, ids ...string) error {
	for _, id := range ids {
		if _, err := s.exec(ctx, s.write, `DELETE FROM blobs WHERE id = ? AND tip_id IS NULL`, id); err != nil {
			return fmt.Errorf("failed to delete staged blob: %w", err)
		}
	}
	return nil
}

// SweepStaged deletes staging blobs started before cutoff: ciphertext whose
// key was never stored, from uploads that failed or were abandoned.
func (s *Store) SweepStaged(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.exec(ctx, s.write, `DELETE FROM blobs WHERE tip_id IS NULL AND staged_at IS NOT NULL AND staged_at < ?`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("failed to sweep staged blobs: %w", err)
	}
	return res.RowsAffected()
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

// Blob is a stored sealed blob: read it sequentially or at random.
type Blob struct {
	s    *Store
	ctx  context.Context
	id   string
	size int64
	// one cached chunk, so sequential ReadAt calls cost one query per chunk
	cached    []byte
	cachedSeq int
}

// OpenBlob returns a blob of tipID. A blob of another tip is not found.
func (s *Store) OpenBlob(ctx context.Context, tipID, id string) (*Blob, error) {
	b := &Blob{s: s, ctx: ctx, id: id, cachedSeq: -1}
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT size FROM blobs WHERE id = ? AND tip_id = ?`), id, tipID).Scan(&b.size)
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
	b := &Blob{s: s, ctx: ctx, id: id, cachedSeq: -1}
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT size FROM blobs WHERE id = ? AND tip_id IS NULL`), id).Scan(&b.size)
	if err != nil {
		return nil, fmt.Errorf("failed to open staged blob: %w", err)
	}
	return b, nil
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

// ReadAt reads sealed bytes at off. Every chunk but the last is ChunkSize long.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for len(p) > 0 {
		if off >= b.size {
			return n, io.EOF
		}
		data, err := b.chunk(int(off / ChunkSize))
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

// ReadAll reads a small blob whole.
func (b *Blob) ReadAll() ([]byte, error) { return io.ReadAll(b.Reader()) }
