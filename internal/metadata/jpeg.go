package metadata

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// CleanJPEG copies the JPEG image from src to dst without its metadata, and reports what
// it found. It streams: memory use is bounded (one 64 KiB segment and the I/O buffers)
// whatever the image's size.
//
// Kept: the JFIF header (without its thumbnail), the Adobe APP14 segment and the ICC
// colour profile, which are needed to decode the image's colours correctly, and all image
// data. When the EXIF orientation says the image is rotated, a minimal EXIF block holding
// only that orientation is written in place of the original, so that the photo still
// shows the right way up; the report lists it as kept. Removed: EXIF (GPS, camera,
// author, dates, thumbnail), XMP, Photoshop/IPTC, comments, every other APPn segment,
// and anything after the end-of-image marker (such as a motion-photo video).
//
// On error, what was written to dst is incomplete and must be discarded.
func CleanJPEG(dst io.Writer, src io.Reader) (Report, error) {
	w := bufio.NewWriterSize(dst, 32<<10)
	rep, err := processJPEG(w, src, false)
	if err != nil {
		return rep, err
	}
	if err := w.Flush(); err != nil {
		return rep, fmt.Errorf("failed to write cleaned JPEG: %w", err)
	}
	return rep, nil
}

// InspectJPEG reports the metadata of the JPEG image in src, marking every item as kept,
// for a source who chose to keep it. It reads src to its end even when it returns an
// error, so that a copy made through io.TeeReader is always complete.
func InspectJPEG(src io.Reader) (Report, error) {
	rep, err := processJPEG(io.Discard, src, true)
	if _, derr := io.Copy(io.Discard, src); derr != nil && err == nil {
		err = fmt.Errorf("failed to read JPEG: %w", derr)
	}
	return rep, err
}

// jpegProcessor holds the state of one pass over a JPEG stream.
type jpegProcessor struct {
	r       *bufio.Reader
	w       io.Writer
	off     int64 // bytes consumed from r
	keep    bool
	rep     Report
	seg     []byte // the current segment's payload (at most 65533 bytes)
	wroteOr bool   // the minimal orientation EXIF has been written
}

const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerAPP0 = 0xE0
	markerCOM  = 0xFE
)

func processJPEG(w io.Writer, src io.Reader, keep bool) (Report, error) {
	p := &jpegProcessor{r: bufio.NewReaderSize(src, 64<<10), w: w, keep: keep, rep: Report{Type: JPEG}}
	err := p.run()
	return p.rep, err
}

func (p *jpegProcessor) action() Action {
	if p.keep {
		return Kept
	}
	return Removed
}

func (p *jpegProcessor) damaged(reason string) error { return damaged("JPEG", p.off, reason) }

// readErr turns a read error into a DamagedError when it is an unexpected end of file.
func (p *jpegProcessor) readErr(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.damaged("the file ends in the middle of " + what)
	}
	return fmt.Errorf("failed to read JPEG: %w", err)
}

func (p *jpegProcessor) write(b ...byte) error {
	if _, err := p.w.Write(b); err != nil {
		return fmt.Errorf("failed to write JPEG: %w", err)
	}
	return nil
}

func (p *jpegProcessor) run() error {
	var soi [2]byte
	if _, err := io.ReadFull(p.r, soi[:]); err != nil || soi != [2]byte{0xFF, markerSOI} {
		return damaged("JPEG", 0, "it does not start like a JPEG file")
	}
	p.off = 2
	if err := p.write(0xFF, markerSOI); err != nil {
		return err
	}
	m, err := p.nextMarker()
	for err == nil {
		switch {
		case m == markerEOI:
			if err := p.write(0xFF, markerEOI); err != nil {
				return err
			}
			return p.trailer()
		case m >= 0xD0 && m <= 0xD7 || m == 0x01: // markers without a length
			err = p.write(0xFF, m)
			if err == nil {
				m, err = p.nextMarker()
			}
		case m == markerSOI || m == 0x00:
			return p.damaged(fmt.Sprintf("unexpected marker 0x%02X", m))
		default:
			if err = p.readSegment(); err != nil {
				return err
			}
			if m == markerSOS {
				if err = p.copySegment(m); err == nil {
					m, err = p.copyScan()
				}
				continue
			}
			if err = p.handleSegment(m); err == nil {
				m, err = p.nextMarker()
			}
		}
	}
	return err
}

// nextMarker reads a marker (0xFF, any fill bytes, then the marker code).
func (p *jpegProcessor) nextMarker() (byte, error) {
	b, err := p.r.ReadByte()
	if err != nil {
		return 0, p.readErr(err, "a marker")
	}
	if b != 0xFF {
		return 0, p.damaged("expected a marker")
	}
	p.off++
	for {
		b, err = p.r.ReadByte()
		if err != nil {
			return 0, p.readErr(err, "a marker")
		}
		p.off++
		if b != 0xFF {
			return b, nil
		}
	}
}

// readSegment reads a segment's length and payload into p.seg.
func (p *jpegProcessor) readSegment() error {
	var l [2]byte
	if _, err := io.ReadFull(p.r, l[:]); err != nil {
		return p.readErr(err, "a segment length")
	}
	n := int(l[0])<<8 | int(l[1])
	if n < 2 {
		return p.damaged("a segment length is too small")
	}
	p.off += 2
	if cap(p.seg) < n-2 {
		p.seg = make([]byte, n-2, 65535)
	}
	p.seg = p.seg[:n-2]
	if _, err := io.ReadFull(p.r, p.seg); err != nil {
		return p.readErr(err, "a segment")
	}
	p.off += int64(n - 2)
	return nil
}

// copySegment writes the current segment unchanged.
func (p *jpegProcessor) copySegment(m byte) error {
	n := len(p.seg) + 2
	if err := p.write(0xFF, m, byte(n>>8), byte(n)); err != nil {
		return err
	}
	return p.write(p.seg...)
}

// copyScan copies entropy-coded data up to the next marker that is not a restart marker,
// and returns that marker. It works on the reader's buffer, so it does not go byte by byte.
func (p *jpegProcessor) copyScan() (byte, error) {
	for {
		if _, err := p.r.Peek(1); err != nil {
			return 0, p.readErr(err, "image data")
		}
		buf, _ := p.r.Peek(p.r.Buffered())
		i := bytes.IndexByte(buf, 0xFF)
		if i < 0 {
			i = len(buf)
		}
		if err := p.write(buf[:i]...); err != nil {
			return 0, err
		}
		p.r.Discard(i)
		p.off += int64(i)
		if i == len(buf) {
			continue
		}
		two, err := p.r.Peek(2)
		if err != nil {
			return 0, p.readErr(err, "image data")
		}
		switch c := two[1]; {
		case c == 0x00 || c >= 0xD0 && c <= 0xD7: // stuffed 0xFF or restart marker
			if err := p.write(two...); err != nil {
				return 0, err
			}
			p.r.Discard(2)
			p.off += 2
		case c == 0xFF: // fill byte before a marker
			p.r.Discard(1)
			p.off++
		default:
			p.r.Discard(2)
			p.off += 2
			return c, nil
		}
	}
}

// trailer reports and drops whatever follows the end-of-image marker.
func (p *jpegProcessor) trailer() error {
	n, err := io.Copy(io.Discard, p.r)
	if err != nil {
		return fmt.Errorf("failed to read JPEG: %w", err)
	}
	if n > 0 {
		p.rep.add(Other, "data after the end of the image (e.g. a motion-photo video or extra images)", fmt.Sprintf("%d bytes", n), p.action())
	}
	return nil
}

// handleSegment keeps, rewrites or drops one segment other than SOS.
func (p *jpegProcessor) handleSegment(m byte) error {
	s := p.seg
	switch {
	case m == markerAPP0 && bytes.HasPrefix(s, []byte("JFIF\x00")) && len(s) >= 14:
		if s[12] == 0 && s[13] == 0 || p.keep {
			if s[12] != 0 || s[13] != 0 {
				p.rep.add(Thumbnail, "JFIF thumbnail", fmt.Sprintf("%dx%d pixels", s[12], s[13]), Kept)
			}
			return p.copySegment(m)
		}
		p.rep.add(Thumbnail, "JFIF thumbnail", fmt.Sprintf("%dx%d pixels", s[12], s[13]), Removed)
		p.seg = append(s[:12:12], 0, 0)
		return p.copySegment(m)
	case m == 0xEE && bytes.HasPrefix(s, []byte("Adobe")):
		return p.copySegment(m) // colour transform: needed to decode CMYK and YCCK images
	case m == 0xE2 && bytes.HasPrefix(s, []byte("ICC_PROFILE\x00")):
		if len(s) > 14 && s[12] == 1 {
			p.rep.addNote(Other, "colour profile (ICC)", iccDescription(s[14:]), Kept,
				"kept: needed to show colours correctly; standard profiles do not identify a person")
		}
		return p.copySegment(m)
	case m == 0xE1 && bytes.HasPrefix(s, []byte("Exif\x00")):
		return p.exif(s[min(6, len(s)):])
	case m == 0xE1 && bytes.HasPrefix(s, []byte(xmpID)):
		p.addFound(parseXMP(s[len(xmpID):]))
	case m == 0xE1 && bytes.HasPrefix(s, []byte(xmpExtID)):
		p.rep.add(Other, "extended XMP metadata", fmt.Sprintf("%d bytes", len(s)), p.action())
	case m == 0xE2 && bytes.HasPrefix(s, []byte("MPF\x00")):
		p.rep.add(Other, "multi-picture index (extra images such as depth maps)", fmt.Sprintf("%d bytes", len(s)), p.action())
	case m == 0xED && bytes.HasPrefix(s, []byte(photoshopID)):
		p.addFound(parsePhotoshop(s[len(photoshopID):]))
	case m == markerCOM:
		p.rep.add(Other, "comment", string(s), p.action())
	case m >= markerAPP0 && m <= 0xEF:
		p.rep.add(Other, fmt.Sprintf("application data (APP%d)", m-markerAPP0), appID(s), p.action())
	default:
		return p.copySegment(m) // tables, frame headers and the like: image structure
	}
	if p.keep {
		return p.copySegment(m)
	}
	return nil
}

const (
	xmpID       = "http://ns.adobe.com/xap/1.0/\x00"
	xmpExtID    = "http://ns.adobe.com/xmp/extension/\x00"
	photoshopID = "Photoshop 3.0\x00"
)

func (p *jpegProcessor) addFound(fs []found) {
	for _, f := range fs {
		p.rep.add(f.cat, f.label, f.value, p.action())
	}
}

// exif reports an EXIF block and, when cleaning, writes a minimal one in its place if the
// image is rotated.
func (p *jpegProcessor) exif(tiff []byte) error {
	info := parseEXIF(tiff)
	p.addFound(info.items)
	if p.keep {
		return p.copySegment(0xE1)
	}
	if info.orientation > 1 && !p.wroteOr {
		p.wroteOr = true
		p.rep.addNote(Other, "orientation (rotation)", orientationNames[info.orientation], Kept,
			"kept alone in a new, minimal EXIF block so that the photo shows the right way up")
		p.seg = append(p.seg[:0], minimalEXIF(info.orientation)...)
		return p.copySegment(0xE1)
	}
	return nil
}

var orientationNames = [...]string{"", "normal", "mirrored", "rotated 180°", "mirrored vertically",
	"mirrored and rotated 90° clockwise", "rotated 90° clockwise", "mirrored and rotated 90° counter-clockwise",
	"rotated 90° counter-clockwise"}

// minimalEXIF returns an APP1 payload whose only tag is Orientation.
func minimalEXIF(orientation int) []byte {
	return []byte{
		'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, // Orientation, SHORT, 1 value
		0, 0, 0, 0, // no next IFD
	}
}

// appID returns the printable identifier that starts most APPn payloads, for the report.
func appID(s []byte) string {
	n := 0
	for n < len(s) && n < 32 && s[n] >= 0x20 && s[n] < 0x7f {
		n++
	}
	return fmt.Sprintf("%q, %d bytes", s[:n], len(s))
}
