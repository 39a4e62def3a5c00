package upload

import (
	"io"
	"sync/atomic"
	"time"
)

// readAhead reads on a goroutine of its own, a few buffers ahead of whoever
// consumes what it read, so that two stages of an upload run on two cores
// rather than taking turns on one. It reads a request body ahead of the
// multipart parser (Read), and a file part ahead of its sealing (WriteTo).
// The buffers hold plaintext in memory only, like the sealing buffers.
type readAhead struct {
	full    chan []byte // read, in order; closed after err is set
	free    chan []byte
	stop    chan struct{}
	done    chan struct{}
	err     error       // the read error that ended the reading, other than io.EOF
	reading atomic.Bool // the goroutine is in, or about to enter, a Read

	held []byte // the buffer Read is serving from
	rest []byte // what Read has yet to serve of it
}

const (
	readAheadBuffers = 4
	readAheadSize    = 256 << 10
)

// newReadAhead starts reading r. WriteTo or Stop must be called: they end
// the goroutine, and only then may r (a part's multipart reader, a request
// body) be used again.
func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{
		full: make(chan []byte, readAheadBuffers), free: make(chan []byte, readAheadBuffers),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	go ra.read(r)
	return ra
}

func (ra *readAhead) read(r io.Reader) {
	defer close(ra.done)
	defer close(ra.full)
	made := 0
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		default:
			if made < readAheadBuffers { // allocated as needed: most files are small
				buf = make([]byte, readAheadSize)
				made++
				break
			}
			select {
			case buf = <-ra.free:
			case <-ra.stop:
				return
			}
		}
		// Fill the buffer: a multipart part returns at most 4 KiB a read,
		// a socket what has arrived.
		n := 0
		var err error
		for n < len(buf) && err == nil {
			// Stop sees reading set, or this sees stop closed (or both):
			// the goroutine never blocks in a Read nobody will end.
			ra.reading.Store(true)
			select {
			case <-ra.stop:
				ra.reading.Store(false)
				return
			default:
			}
			var k int
			k, err = r.Read(buf[n:])
			ra.reading.Store(false)
			n += k
		}
		if n > 0 {
			select {
			case ra.full <- buf[:n]:
			case <-ra.stop:
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				ra.err = err
			}
			return
		}
	}
}

// WriteTo writes what is read to w until the part ends or either side fails.
// When it returns, the reading goroutine has ended.
func (ra *readAhead) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for buf := range ra.full {
		n, err := w.Write(buf)
		total += int64(n)
		if err != nil {
			close(ra.stop)
			for range ra.full {
			}
			<-ra.done
			return total, err
		}
		ra.free <- buf[:cap(buf)]
	}
	<-ra.done
	return total, ra.err
}

// Read serves what was read, in order, to a reader that takes it a little at
// a time (the multipart parser), and then the error that ended the reading.
func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.rest) == 0 {
		if ra.held != nil {
			ra.free <- ra.held
			ra.held = nil
		}
		buf, ok := <-ra.full
		if !ok {
			<-ra.done
			if ra.err != nil {
				return 0, ra.err
			}
			return 0, io.EOF
		}
		ra.held, ra.rest = buf[:cap(buf)], buf
	}
	n := copy(p, ra.rest)
	ra.rest = ra.rest[n:]
	return n, nil
}

// Stop ends the reading goroutine and waits for it. A goroutine still in a
// Read after patience — a client that stopped sending before the end of its
// body — is ended with unblock, which must make that Read return (for a
// request body, a read deadline in the past). unblock is never called once
// the reading has ended.
func (ra *readAhead) Stop(patience time.Duration, unblock func()) {
	select {
	case <-ra.done:
		return
	default:
	}
	close(ra.stop)
	if patience > 0 {
		wait := time.NewTimer(patience)
		defer wait.Stop()
		select {
		case <-ra.done:
			return
		case <-wait.C:
		}
	}
	if ra.reading.Load() {
		unblock()
	}
	for range ra.full {
	}
	<-ra.done
}
