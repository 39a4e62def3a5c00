package metadata

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// CleanPNG copies the PNG image from src to dst without its metadata, and reports what it
// found. It streams chunk by chunk and validates every CRC; memory use is bounded (at most
// maxCapture bytes of a metadata chunk are held, to describe it) whatever the image's size.
//
// Kept: the critical chunks (IHDR, PLTE, IDAT, IEND), the colour and display chunks
// (gAMA, cHRM, sRGB, iCCP, cICP, mDCv, cLLi, sBIT, pHYs, tRNS, bKGD, hIST) and the
// animation chunks of APNG (acTL, fcTL, fdAT), which are image content. Removed: text
// chunks (tEXt, zTXt, iTXt, including XMP), EXIF (eXIf), the modification time (tIME),
// every other ancillary chunk, and anything after IEND.
//
// On error, what was written to dst is incomplete and must be discarded.
func CleanPNG(dst io.Writer, src io.Reader) (Report, error) {
	w := bufio.NewWriterSize(dst, 32<<10)
	rep, err := processPNG(w, src, false)
	if err != nil {
		return rep, err
	}
	if err := w.Flush(); err != nil {
		return rep, fmt.Errorf("failed to write cleaned PNG: %w", err)
	}
	return rep, nil
}

// InspectPNG reports the metadata of the PNG image in src, marking every item as kept.
// It reads src to its end even when it returns an error, so that a copy made through
// io.TeeReader is always complete.
func InspectPNG(src io.Reader) (Report, error) {
	rep, err := processPNG(io.Discard, src, true)
	if _, derr := io.Copy(io.Discard, src); derr != nil && err == nil {
		err = fmt.Errorf("failed to read PNG: %w", derr)
	}
	return rep, err
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// maxCapture caps how much of one metadata chunk is held (compressed, then again
// decompressed) to describe it in the report.
const maxCapture = 1 << 20

// pngKept are the chunks copied to the cleaned image.
var pngKept = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "cICP": true, "mDCv": true, "cLLi": true,
	"sBIT": true, "pHYs": true, "tRNS": true, "bKGD": true, "hIST": true,
	"acTL": true, "fcTL": true, "fdAT": true,
}

type pngProcessor struct {
	r    *bufio.Reader
	w    io.Writer
	off  int64
	keep bool
	rep  Report
	buf  []byte
}

func processPNG(w io.Writer, src io.Reader, keep bool) (Report, error) {
	p := &pngProcessor{r: bufio.NewReaderSize(src, 32<<10), w: w, keep: keep, rep: Report{Type: PNG}, buf: make([]byte, 32<<10)}
	err := p.run()
	return p.rep, err
}

func (p *pngProcessor) damaged(reason string) error { return damaged("PNG", p.off, reason) }

func (p *pngProcessor) readFull(b []byte, what string) error {
	n, err := io.ReadFull(p.r, b)
	p.off += int64(n)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.damaged("the file ends in the middle of " + what)
	}
	if err != nil {
		return fmt.Errorf("failed to read PNG: %w", err)
	}
	return nil
}

func (p *pngProcessor) write(b []byte) error {
	if _, err := p.w.Write(b); err != nil {
		return fmt.Errorf("failed to write PNG: %w", err)
	}
	return nil
}

func (p *pngProcessor) run() error {
	sig := make([]byte, len(pngSignature))
	if _, err := io.ReadFull(p.r, sig); err != nil || string(sig) != pngSignature {
		return damaged("PNG", 0, "it does not start like a PNG file")
	}
	p.off = int64(len(sig))
	if err := p.write(sig); err != nil {
		return err
	}
	for first := true; ; first = false {
		start := p.off
		var hdr [8]byte
		if err := p.readFull(hdr[:], "a chunk header"); err != nil {
			return err
		}
		n := binary.BigEndian.Uint32(hdr[:4])
		typ := string(hdr[4:])
		switch {
		case n > 1<<31-1:
			return damaged("PNG", start, "a chunk length is too large")
		case !validChunkType(hdr[4:]):
			return damaged("PNG", start, "invalid chunk type")
		case first && typ != "IHDR":
			return damaged("PNG", start, "the image header is missing")
		case typ[0]&0x20 == 0 && !pngKept[typ]:
			return damaged("PNG", start, "unknown critical chunk "+typ)
		}
		write := p.keep || pngKept[typ]
		if write {
			if err := p.write(hdr[:]); err != nil {
				return err
			}
		}
		captured, err := p.chunkData(hdr[4:], int64(n), write, !pngKept[typ] || typ == "iCCP")
		if err != nil {
			return err
		}
		p.report(typ, captured, int64(n))
		if typ == "IEND" {
			return p.trailer()
		}
	}
}

// chunkData streams a chunk's data and CRC, writing them if write is set, checking the
// CRC, and returning the first maxCapture bytes of the data if capture is set.
func (p *pngProcessor) chunkData(typ []byte, n int64, write, capture bool) ([]byte, error) {
	crc := crc32.NewIEEE()
	crc.Write(typ)
	var captured []byte
	for n > 0 {
		b := p.buf[:min(n, int64(len(p.buf)))]
		if err := p.readFull(b, "a chunk"); err != nil {
			return nil, err
		}
		n -= int64(len(b))
		crc.Write(b)
		if capture && len(captured) < maxCapture {
			captured = append(captured, b[:min(len(b), maxCapture-len(captured))]...)
		}
		if write {
			if err := p.write(b); err != nil {
				return nil, err
			}
		}
	}
	var sum [4]byte
	if err := p.readFull(sum[:], "a chunk checksum"); err != nil {
		return nil, err
	}
	if binary.BigEndian.Uint32(sum[:]) != crc.Sum32() {
		return nil, damaged("PNG", p.off-4, "a chunk checksum does not match")
	}
	if write {
		return captured, p.write(sum[:])
	}
	return captured, nil
}

func validChunkType(t []byte) bool {
	for _, c := range t {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// trailer reports and drops whatever follows IEND.
func (p *pngProcessor) trailer() error {
	n, err := io.Copy(io.Discard, p.r)
	if err != nil {
		return fmt.Errorf("failed to read PNG: %w", err)
	}
	if n > 0 {
		p.add(found{Other, "data after the end of the image", fmt.Sprintf("%d bytes", n)})
	}
	return nil
}

func (p *pngProcessor) add(fs ...found) {
	a := Removed
	if p.keep {
		a = Kept
	}
	for _, f := range fs {
		p.rep.add(f.cat, f.label, f.value, a)
	}
}

// report describes one chunk that was captured: every dropped chunk, and iCCP.
func (p *pngProcessor) report(typ string, data []byte, n int64) {
	switch typ {
	case "iCCP":
		name, _, _ := bytes.Cut(data, []byte{0})
		p.rep.addNote(Other, "colour profile (ICC)", string(name), Kept,
			"kept: needed to show colours correctly; standard profiles do not identify a person")
	case "tEXt", "zTXt", "iTXt":
		p.add(pngText(typ, data)...)
	case "eXIf":
		p.add(parseEXIF(data).items...)
	case "tIME":
		if len(data) == 7 {
			p.add(found{Time, "modification time", fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d UTC",
				binary.BigEndian.Uint16(data), data[2], data[3], data[4], data[5], data[6])})
		}
	default:
		if !pngKept[typ] {
			p.add(found{Other, "unknown chunk " + typ, fmt.Sprintf("%d bytes", n)})
		}
	}
}
