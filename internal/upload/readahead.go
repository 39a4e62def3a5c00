package upload

import "io"

// readAhead reads a file part on a goroutine of its own, a few buffers ahead
// of the writer it is copied to, so that reading the request (socket,
// multipart) and sealing it run on two cores rather than taking turns on one.
// The buffers hold plaintext in memory only, like the sealing buffers.
type readAhead struct {
	full chan []byte // read, in order; closed after err is set
	free chan []byte
	stop chan struct{}
	done chan struct{}
	err  error // the read error that ended the part, other than io.EOF
}

const (
	readAheadBuffers = 4
	readAheadSize    = 256 << 10
)

// newReadAhead starts reading r. Its WriteTo must be called: it ends the
// goroutine, and only then may r's multipart reader be used again.
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
		// Fill the buffer: a multipart part returns at most 4 KiB a read.
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var k int
			k, err = r.Read(buf[n:])
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
