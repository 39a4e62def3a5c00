package metadata

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// CopyText copies a plain-text file from src to dst, checking as it goes that all of it,
// not only the part Sniff saw, is UTF-8 text without NULs or other control characters.
// It returns ErrNotText (and stops) at the first byte that is not. Plain text carries no
// metadata, so the report is always empty.
func CopyText(dst io.Writer, src io.Reader) (Report, error) {
	rep := Report{Type: Text}
	buf := make([]byte, 32<<10)
	carry := 0 // bytes of a rune cut by the previous read, moved to buf[0:carry]
	var off int64
	for {
		n, rerr := src.Read(buf[carry:])
		n += carry
		end := n
		if rerr == nil {
			// Hold back a rune cut at the end of the buffer for the next round.
			for k := 1; k < utf8.UTFMax && k <= n; k++ {
				if utf8.RuneStart(buf[n-k]) {
					if !utf8.FullRune(buf[n-k : n]) {
						end = n - k
					}
					break
				}
			}
		}
		if bad := firstNonText(buf[:end]); bad >= 0 {
			return rep, fmt.Errorf("byte %d: %w", off+int64(bad), ErrNotText)
		}
		if _, err := dst.Write(buf[:end]); err != nil {
			return rep, fmt.Errorf("failed to write text: %w", err)
		}
		off += int64(end)
		carry = copy(buf, buf[end:n])
		if errors.Is(rerr, io.EOF) {
			if carry > 0 {
				return rep, fmt.Errorf("byte %d: %w", off, ErrNotText)
			}
			return rep, nil
		}
		if rerr != nil {
			return rep, fmt.Errorf("failed to read text: %w", rerr)
		}
	}
}

// firstNonText returns the offset of the first byte of b that is not part of plain
// UTF-8 text, or -1.
func firstNonText(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if !textByte(c) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}
