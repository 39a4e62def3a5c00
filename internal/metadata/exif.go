package metadata

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// found is one metadata item found by a parser, before an action is decided.
type found struct {
	cat   Category
	label string
	value string
}

// exifInfo is what parseEXIF understood of a TIFF-structured EXIF block.
type exifInfo struct {
	items       []found
	orientation int // 1..8, or 0 if absent
}

type tagInfo struct {
	cat   Category
	label string
}

// exifTags are the tags worth naming to a source; every other tag is counted under
// "other EXIF fields" (camera settings such as exposure and ISO, mostly).
var exifTags = map[uint16]tagInfo{
	0x010E: {Other, "image description"},
	0x010F: {Device, "camera make"},
	0x0110: {Device, "camera model"},
	0x0131: {Software, "software"},
	0x0132: {Time, "modification date-time"},
	0x013B: {Author, "artist"},
	0x8298: {Author, "copyright"},
	0x9C9B: {Other, "title (Windows)"},
	0x9C9C: {Other, "comment (Windows)"},
	0x9C9D: {Author, "author (Windows)"},
	0x9C9E: {Other, "keywords (Windows)"},
	0x9C9F: {Other, "subject (Windows)"},
	0x9003: {Time, "original date-time"},
	0x9004: {Time, "digitised date-time"},
	0x9010: {Time, "time zone"},
	0x9011: {Time, "time zone of original"},
	0x9286: {Other, "user comment"},
	0x927C: {Device, "maker note (may include serial numbers)"},
	0xA420: {Device, "unique image ID"},
	0xA430: {Author, "camera owner"},
	0xA431: {Device, "camera serial number"},
	0xA433: {Device, "lens make"},
	0xA434: {Device, "lens model"},
	0xA435: {Device, "lens serial number"},
	0xC4A5: {Device, "printer settings (PrintIM)"},
}

const (
	tagOrientation = 0x0112
	tagExifIFD     = 0x8769
	tagGPSIFD      = 0x8825
	tagInteropIFD  = 0xA005
	tagThumbOffset = 0x0201
	tagThumbLength = 0x0202
)

// tiffReader reads a TIFF structure held in memory, checking every offset.
type tiffReader struct {
	b     []byte
	order binary.ByteOrder
	info  *exifInfo
	other int // tags not named in exifTags
	seen  map[uint32]bool
	gps   map[uint16]ifdEntry
}

type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte // the value bytes, nil if out of bounds
}

// parseEXIF parses a TIFF-structured EXIF block (after the "Exif\0\0" prefix). It never
// fails: what cannot be read is reported as "unreadable EXIF data", since the whole block
// is removed anyway.
func parseEXIF(b []byte) exifInfo {
	var info exifInfo
	if len(b) < 8 {
		info.items = append(info.items, found{Other, "unreadable EXIF data", fmt.Sprintf("%d bytes", len(b))})
		return info
	}
	r := &tiffReader{b: b, info: &info, seen: map[uint32]bool{}, gps: map[uint16]ifdEntry{}}
	switch string(b[:2]) {
	case "II":
		r.order = binary.LittleEndian
	case "MM":
		r.order = binary.BigEndian
	default:
		info.items = append(info.items, found{Other, "unreadable EXIF data", fmt.Sprintf("%d bytes", len(b))})
		return info
	}
	ifd0 := r.order.Uint32(b[4:])
	next := r.readIFD(ifd0, 0)
	if next != 0 {
		r.readIFD(next, 1)
	}
	r.reportGPS()
	if r.other > 0 {
		info.items = append(info.items, found{Other, "other EXIF fields (camera settings and similar)", fmt.Sprintf("%d fields", r.other)})
	}
	return info
}

var typeSizes = [...]uint64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}

// entries reads the entries of the IFD at off, or nil if it is out of bounds or seen before.
func (r *tiffReader) entries(off uint32) ([]ifdEntry, uint32) {
	if off < 8 || r.seen[off] || len(r.seen) > 16 || uint64(off)+2 > uint64(len(r.b)) {
		return nil, 0
	}
	r.seen[off] = true
	n := uint64(r.order.Uint16(r.b[off:]))
	end := uint64(off) + 2 + 12*n
	if end > uint64(len(r.b)) {
		n = (uint64(len(r.b)) - uint64(off) - 2) / 12
		end = uint64(off) + 2 + 12*n
	}
	es := make([]ifdEntry, 0, n)
	for i := uint64(0); i < n; i++ {
		p := r.b[uint64(off)+2+12*i:]
		e := ifdEntry{tag: r.order.Uint16(p), typ: r.order.Uint16(p[2:]), count: r.order.Uint32(p[4:])}
		if int(e.typ) < len(typeSizes) && e.typ > 0 {
			size := typeSizes[e.typ] * uint64(e.count)
			if size <= 4 {
				e.data = p[8 : 8+size]
			} else if vo := uint64(r.order.Uint32(p[8:])); vo+size <= uint64(len(r.b)) {
				e.data = r.b[vo : vo+size]
			}
		}
		es = append(es, e)
	}
	var next uint32
	if end+4 <= uint64(len(r.b)) {
		next = r.order.Uint32(r.b[end:])
	}
	return es, next
}

// readIFD reports the tags of one IFD and follows sub-IFDs. which is 0 for IFD0 and the
// sub-IFDs, 1 for IFD1 (the thumbnail's), 2 for the GPS IFD. It returns the next IFD's offset.
func (r *tiffReader) readIFD(off uint32, which int) uint32 {
	es, next := r.entries(off)
	var thumbLen uint32
	for _, e := range es {
		if which == 2 {
			r.gps[e.tag] = e
			continue
		}
		switch e.tag {
		case tagExifIFD, tagInteropIFD:
			r.readIFD(r.uint(e), 0)
		case tagGPSIFD:
			r.readIFD(r.uint(e), 2)
		case tagOrientation:
			if v := r.uint(e); v >= 1 && v <= 8 {
				r.info.orientation = int(v)
			}
		case tagThumbLength:
			thumbLen = r.uint(e)
		case tagThumbOffset, 0x0100, 0x0101, 0x0103, 0x011A, 0x011B, 0x0128, 0x0213:
			// Structure of the image or thumbnail, not metadata about anyone.
		default:
			t, ok := exifTags[e.tag]
			if !ok {
				r.other++
				continue
			}
			r.info.items = append(r.info.items, found{t.cat, t.label, r.text(e)})
		}
	}
	if which == 1 && thumbLen > 0 {
		r.info.items = append(r.info.items, found{Thumbnail, "embedded preview image (may show the uncropped original)", fmt.Sprintf("%d bytes", thumbLen)})
	}
	return next // only parseEXIF follows it, from IFD0 to IFD1
}

// uint returns the first value of a SHORT or LONG entry.
func (r *tiffReader) uint(e ifdEntry) uint32 {
	switch {
	case e.typ == 3 && len(e.data) >= 2:
		return uint32(r.order.Uint16(e.data))
	case (e.typ == 4 || e.typ == 13) && len(e.data) >= 4:
		return r.order.Uint32(e.data)
	}
	return 0
}

// rationals returns the values of a RATIONAL entry as float64s.
func (r *tiffReader) rationals(e ifdEntry) []float64 {
	if e.typ != 5 && e.typ != 10 {
		return nil
	}
	var vs []float64
	for p := e.data; len(p) >= 8; p = p[8:] {
		num, den := r.order.Uint32(p), r.order.Uint32(p[4:])
		if den == 0 {
			return nil
		}
		if e.typ == 10 {
			vs = append(vs, float64(int32(num))/float64(int32(den)))
		} else {
			vs = append(vs, float64(num)/float64(den))
		}
	}
	return vs
}

// text renders an entry's value for the report.
func (r *tiffReader) text(e ifdEntry) string {
	switch {
	case e.data == nil:
		return "(unreadable)"
	case e.tag >= 0x9C9B && e.tag <= 0x9C9F: // Windows XP tags: UTF-16LE in BYTEs
		u := make([]uint16, 0, len(e.data)/2)
		for p := e.data; len(p) >= 2; p = p[2:] {
			u = append(u, binary.LittleEndian.Uint16(p))
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00")
	case e.tag == 0x9286 && len(e.data) >= 8: // UserComment: 8-byte character code, then text
		return strings.TrimRight(string(e.data[8:]), "\x00 ")
	case e.tag == 0x927C || e.tag == 0xC4A5:
		return fmt.Sprintf("%d bytes", len(e.data))
	case e.typ == 2 || e.typ == 7 || e.typ == 1:
		return strings.TrimRight(string(e.data), "\x00 ")
	case e.typ == 3 || e.typ == 4:
		return fmt.Sprint(r.uint(e))
	case e.typ == 5 || e.typ == 10:
		return strings.Trim(fmt.Sprint(r.rationals(e)), "[]")
	}
	return fmt.Sprintf("%d bytes", len(e.data))
}

// reportGPS turns the GPS IFD into readable items: position, altitude, time, and a count
// of the rest.
func (r *tiffReader) reportGPS() {
	if len(r.gps) == 0 {
		return
	}
	named := 0
	if _, ok := r.gps[0]; ok { // GPSVersionID says nothing about the photo
		named++
	}
	lat, latOK := r.degrees(1, 2, "N", "S")
	lon, lonOK := r.degrees(3, 4, "E", "W")
	if latOK || lonOK {
		r.info.items = append(r.info.items, found{Location, "GPS position", strings.TrimSpace(lat + ", " + lon)})
		named += 4
	}
	if alt := r.rationals(r.gps[6]); len(alt) == 1 {
		sign := ""
		if ref := r.gps[5].data; len(ref) > 0 && ref[0] == 1 {
			sign = "-"
		}
		r.info.items = append(r.info.items, found{Location, "GPS altitude", fmt.Sprintf("%s%.1f m", sign, alt[0])})
		named += 2
	}
	if d, ok := r.gps[29]; ok {
		ts := ""
		if t := r.rationals(r.gps[7]); len(t) == 3 {
			ts = fmt.Sprintf(" %02.0f:%02.0f:%02.0f UTC", t[0], t[1], t[2])
		}
		r.info.items = append(r.info.items, found{Time, "GPS date-time", r.text(d) + ts})
		named += 2
	}
	if rest := len(r.gps) - named; rest > 0 {
		r.info.items = append(r.info.items, found{Location, "other GPS data (direction, speed, accuracy, …)", fmt.Sprintf("%d fields", rest)})
	}
}

// degrees formats a GPS coordinate (degrees, minutes, seconds and a hemisphere reference).
func (r *tiffReader) degrees(refTag, valTag uint16, pos, neg string) (string, bool) {
	v := r.rationals(r.gps[valTag])
	if len(v) != 3 {
		return "", false
	}
	hemi := pos
	if ref := r.gps[refTag].data; len(ref) > 0 && string(ref[:1]) == neg {
		hemi = neg
	}
	return fmt.Sprintf("%.6f° %s", v[0]+v[1]/60+v[2]/3600, hemi), true
}
