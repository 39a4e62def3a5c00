package metadata

import (
	"bytes"
	"io"
)

// countPDFObjects counts the objects a PDF's body declares ("12 0 obj"), reading it once
// in chunks, and stops counting past limit. pdfcpu bounds the objects an xref stream
// lists (and so those packed in object streams), but neither a classic xref table nor
// the repair of a broken one, which scans the file for objects: this bounds those before
// pdfcpu holds them all.
func countPDFObjects(src io.ReaderAt, size int64, limit int) (int, error) {
	const chunk, carry = 1 << 20, 5
	buf := make([]byte, carry+chunk)
	kept, n := 0, 0 // bytes carried over from the last chunk; objects counted
	for off := int64(0); off < size && n <= limit; {
		read, err := src.ReadAt(buf[kept:kept+int(min(chunk, size-off))], off)
		off += int64(read)
		if err != nil && err != io.EOF {
			return n, err
		}
		if read == 0 {
			break
		}
		data := buf[:kept+read]
		n += countObjectHeaders(data, off >= size)
		kept = copy(buf, data[max(len(data)-carry, 0):])
	}
	return n, nil
}

// countObjectHeaders counts "obj" keywords after an object and generation number in b:
// a digit, white space, then obj followed by anything but a regular character (so not
// "endobj", "object"). One whose next byte is past b is left to the next chunk, which
// begins with b's last bytes, unless b is the end of the file.
func countObjectHeaders(b []byte, atEnd bool) int {
	n := 0
	for i := 0; ; i++ {
		j := bytes.Index(b[i:], []byte("obj"))
		if j < 0 {
			return n
		}
		i += j
		if i < 2 || !isPDFSpace(b[i-1]) || b[i-2] < '0' || b[i-2] > '9' {
			continue
		}
		switch {
		case i+3 < len(b):
			if isPDFRegular(b[i+3]) {
				continue
			}
		case !atEnd:
			return n
		}
		n++
	}
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// isPDFRegular reports whether c is neither white space nor a delimiter.
func isPDFRegular(c byte) bool {
	return !isPDFSpace(c) && bytes.IndexByte([]byte("()<>[]{}/%"), c) < 0
}
