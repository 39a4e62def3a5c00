package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"tipline/internal/tip"
)

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
			return nil, noRoom(err)
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
		w.failure = noRoom(fmt.Errorf("failed to store blob: %w", err))
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
