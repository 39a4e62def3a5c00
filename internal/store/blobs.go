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

	"tipline/internal/tip"
)

// ChunkSize is the size of one chunk row of a sealed blob. Big enough that a
// 1 GiB upload is a thousand inserts, small enough to hold in memory per
// upload.
const ChunkSize = 1 << 20

// BlobWriter streams sealed bytes into a staging blob, never inside a
// transaction, so a slow upload over Tor does not hold SQLite's single
// writer. On SQLite the blob is a file in the data folder (see BlobDir); on
// PostgreSQL, chunk rows of ChunkSize, each its own short statement.
//
// Writes are pipelined: full chunks go to a goroutine that stores them while
// the caller reads and seals the next, with at most writerBuffers chunks in
// memory. Close or Discard must be called, also after an error: they end the
// goroutine.
type BlobWriter struct {
	s     *Store
	ctx   context.Context
	id    string
	buf   []byte
	size  int64 // bytes handed to the pipeline
	queue chan []byte
	free  chan []byte
	made  int
	done  chan struct{}

	mu      sync.Mutex
	failure error // the pipeline's first error
	closed  bool
}

// writerBuffers is how many chunk buffers one staging blob may use: one being
// filled, one queued, one being stored.
const writerBuffers = 3

// blobSink stores the chunks of one staging blob, in order, on the
// pipeline's goroutine.
type blobSink interface {
	write(chunk []byte) error // chunk is reused after write returns
	finish() error            // all chunks are written: make them durable
	abort()                   // the blob will be deleted
}

// NewStagedBlob starts a staging blob. Until a tip or message adopts it, the
// sweeper may delete it.
func (s *Store) NewStagedBlob(ctx context.Context) (*BlobWriter, error) {
	id := tip.NewID()
	inFile := s.files != nil
	// The row is committed before the file exists, so no file is ever
	// unknown to the sweeper.
	if _, err := s.exec(ctx, s.write, `INSERT INTO blobs (id, staged_at, in_file) VALUES (?, ?, ?)`, id, time.Now().Unix(), boolInt(inFile)); err != nil {
		return nil, fmt.Errorf("failed to stage blob: %w", err)
	}
	var sink blobSink = &rowSink{s: s, ctx: ctx, id: id}
	if inFile {
		f, err := s.files.create(id)
		if err != nil {
			s.exec(context.WithoutCancel(ctx), s.write, `DELETE FROM blobs WHERE id = ?`, id)
			return nil, err
		}
		sink = f
	}
	w := &BlobWriter{s: s, ctx: ctx, id: id, buf: newChunkBuffer(), made: 1,
		queue: make(chan []byte, 1), free: make(chan []byte, writerBuffers), done: make(chan struct{})}
	go w.store(ctx, sink)
	return w, nil
}

// store runs the pipeline's far end: it stores each chunk and hands its
// buffer back.
func (w *BlobWriter) store(ctx context.Context, sink blobSink) {
	defer close(w.done)
	var err error
	for chunk := range w.queue {
		if err = w.failed(); err == nil { // failed, or discarded
			if err = sink.write(chunk); err == nil {
				err = ctx.Err()
			}
			if err != nil {
				w.fail(err)
			}
		}
		w.free <- chunk[:0]
	}
	if err = w.failed(); err != nil {
		sink.abort()
		return
	}
	if err := sink.finish(); err != nil {
		w.fail(err)
	}
}

func (w *BlobWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failure == nil {
		w.failure = fmt.Errorf("failed to store blob: %w", err)
	}
}

func (w *BlobWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failure
}

// ID returns the blob's id.
func (w *BlobWriter) ID() string { return w.id }

// Size returns the number of sealed bytes written so far.
func (w *BlobWriter) Size() int64 { return w.size + int64(len(w.buf)) }

func (w *BlobWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("write to a closed blob")
	}
	n := 0
	for len(p) > 0 {
		if err := w.failed(); err != nil {
			return n, err
		}
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p, n = p[k:], n+k
		if len(w.buf) == cap(w.buf) {
			w.handOff()
		}
	}
	return n, nil
}

// handOff queues the full buffer and takes an empty one, waiting for the
// store goroutine when all writerBuffers are in use.
func (w *BlobWriter) handOff() {
	w.queue <- w.buf
	w.size += int64(len(w.buf))
	select {
	case w.buf = <-w.free:
		return
	default:
	}
	if w.made < writerBuffers {
		w.made++
		w.buf = newChunkBuffer()
		return
	}
	w.buf = <-w.free
}

// Close stores the last chunk, waits until every chunk is durable (a blob
// file is fsynced, with its directory) and records the blob's size. Only
// then may a tip adopt the blob.
func (w *BlobWriter) Close() error {
	if w.closed {
		return w.failed()
	}
	w.closed = true
	if len(w.buf) > 0 {
		w.queue <- w.buf
		w.size += int64(len(w.buf))
		w.buf = nil
	}
	close(w.queue)
	<-w.done
	if err := w.failed(); err != nil {
		return err
	}
	if _, err := w.s.exec(w.ctx, w.s.write, `UPDATE blobs SET size = ? WHERE id = ?`, w.size, w.id); err != nil {
		return fmt.Errorf("failed to finish blob: %w", err)
	}
	return nil
}

// errDiscarded ends the pipeline of a discarded blob.
var errDiscarded = errors.New("blob discarded")

// Discard ends a blob that will not be finished — the upload failed — and
// deletes what was stored of it, without waiting for it to be durable.
func (w *BlobWriter) Discard() {
	if !w.closed {
		w.closed = true
		w.fail(errDiscarded)
		close(w.queue)
		<-w.done
	}
	w.s.DeleteStaged(context.WithoutCancel(w.ctx), w.id)
}

// rowSink stores a blob as chunk rows, each in its own statement.
type rowSink struct {
	s   *Store
	ctx context.Context
	id  string
	seq int
}

func (r *rowSink) write(chunk []byte) error {
	if _, err := r.s.exec(r.ctx, r.s.write, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, r.id, r.seq, chunk); err != nil {
		return err
	}
	r.seq++
	return nil
}

func (r *rowSink) finish() error { return nil }
func (r *rowSink) abort()        {}

// DeleteStaged deletes staging blobs that will not be adopted. A blob a tip
// or message adopted is left alone.
func (s *Store) DeleteStaged(ctx context.Context, ids ...string) error {
	for _, id := range ids {
		if err := s.deleteStaged(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// deleteStaged deletes one unadopted blob: its row first, so that a file is
// never missing under a row (a crash in between leaves a file without a row,
// which sweepOrphanFiles deletes).
func (s *Store) deleteStaged(ctx context.Context, id string) error {
	res, err := s.exec(ctx, s.write, `DELETE FROM blobs WHERE id = ? AND tip_id IS NULL`, id)
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
// files older than cutoff that no row knows.
func (s *Store) SweepStaged(ctx context.Context, cutoff time.Time) (int64, error) {
	if s.files == nil {
		res, err := s.exec(ctx, s.write, `DELETE FROM blobs WHERE tip_id IS NULL AND staged_at IS NOT NULL AND staged_at < ?`, cutoff.Unix())
		if err != nil {
			return 0, fmt.Errorf("failed to sweep staged blobs: %w", err)
		}
		return res.RowsAffected()
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
	return int64(len(ids)) + orphans, err
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
	file *os.File // a blob file; nil for chunk rows
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
		b.file = f
	}
	return b, nil
}

// Close releases the blob's file, if it has one.
func (b *Blob) Close() error {
	if b.file == nil {
		return nil
	}
	return b.file.Close()
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
	if b.file != nil {
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
	n, err := b.file.ReadAt(p, off)
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

// ReadAll reads a small blob whole.
func (b *Blob) ReadAll() ([]byte, error) { return io.ReadAll(b.Reader()) }
