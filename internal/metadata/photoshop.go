package metadata

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// iptcDatasets are the IPTC record-2 datasets worth naming to a source.
var iptcDatasets = map[byte]tagInfo{
	5:   {Other, "title"},
	25:  {Other, "keywords"},
	40:  {Other, "instructions"},
	55:  {Time, "creation date"},
	60:  {Time, "creation time"},
	65:  {Software, "software"},
	80:  {Author, "author (by-line)"},
	85:  {Author, "author's job title"},
	90:  {Location, "city"},
	92:  {Location, "place"},
	95:  {Location, "state or province"},
	100: {Location, "country code"},
	101: {Location, "country"},
	103: {Other, "job reference"},
	105: {Other, "headline"},
	110: {Author, "credit"},
	115: {Author, "source"},
	116: {Author, "copyright"},
	118: {Author, "contact"},
	120: {Other, "caption"},
	122: {Author, "caption writer"},
}

// parsePhotoshop names what a Photoshop image-resource block (APP13) holds: IPTC
// datasets, a thumbnail, embedded EXIF or XMP, and a count of the rest.
func parsePhotoshop(b []byte) []found {
	var items []found
	other := 0
	for len(b) >= 12 && string(b[:4]) == "8BIM" {
		id := binary.BigEndian.Uint16(b[4:])
		nameLen := int(b[6]) + 1
		nameLen += nameLen % 2 // the Pascal name and its length byte are padded to even
		if 6+nameLen+4 > len(b) {
			break
		}
		size := int(binary.BigEndian.Uint32(b[6+nameLen:]))
		start := 6 + nameLen + 4
		if size < 0 || size > len(b)-start {
			break
		}
		data := b[start : start+size]
		switch id {
		case 0x0404:
			items = append(items, parseIPTC(data)...)
		case 0x0409, 0x040C:
			items = append(items, found{Thumbnail, "Photoshop thumbnail (may show the uncropped original)", fmt.Sprintf("%d bytes", size)})
		case 0x0422:
			items = append(items, parseEXIF(data).items...)
		case 0x0424:
			items = append(items, parseXMP(data)...)
		default:
			other++
		}
		next := start + size + size%2
		if next > len(b) {
			break
		}
		b = b[next:]
	}
	if other > 0 || len(items) == 0 {
		items = append(items, found{Other, "other Photoshop data", fmt.Sprintf("%d resources", other)})
	}
	return items
}

// parseIPTC names the datasets of an IPTC-IIM block.
func parseIPTC(b []byte) []found {
	var items []found
	other := 0
	for len(b) >= 5 && b[0] == 0x1C {
		rec, ds := b[1], b[2]
		n := int(binary.BigEndian.Uint16(b[3:]))
		if n&0x8000 != 0 || 5+n > len(b) { // extended lengths are not used for text
			break
		}
		if t, ok := iptcDatasets[ds]; ok && rec == 2 {
			items = append(items, found{t.cat, t.label, string(b[5 : 5+n])})
		} else if rec == 2 && ds != 0 {
			other++
		}
		b = b[5+n:]
	}
	if other > 0 {
		items = append(items, found{Other, "other IPTC fields", fmt.Sprintf("%d fields", other)})
	}
	return items
}

// iccDescription returns the description tag of an ICC profile (such as "sRGB
// IEC61966-2.1" or "Display P3") when it lies in b, or the profile's size.
func iccDescription(b []byte) string {
	fallback := fmt.Sprintf("%d bytes", len(b))
	if len(b) < 132 {
		return fallback
	}
	count := int(binary.BigEndian.Uint32(b[128:]))
	for i := 0; i < count && i < 64 && 132+12*i+12 <= len(b); i++ {
		e := b[132+12*i:]
		if string(e[:4]) != "desc" {
			continue
		}
		off, size := int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
		if off < 0 || size < 12 || off > len(b) || size > len(b)-off {
			return fallback
		}
		return descText(b[off:off+size], fallback)
	}
	return fallback
}

// descText decodes an ICC 'desc' (version 2, ASCII) or 'mluc' (version 4, UTF-16) tag.
func descText(t []byte, fallback string) string {
	switch string(t[:4]) {
	case "desc":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n < 0 || n > len(t)-12 {
			return fallback
		}
		return strings.TrimRight(string(t[12:12+n]), "\x00")
	case "mluc":
		if len(t) < 28 {
			return fallback
		}
		n, off := int(binary.BigEndian.Uint32(t[20:])), int(binary.BigEndian.Uint32(t[24:]))
		if n < 0 || off < 0 || off > len(t) || n > len(t)-off {
			return fallback
		}
		u := make([]uint16, 0, n/2)
		for p := t[off : off+n]; len(p) >= 2; p = p[2:] {
			u = append(u, binary.BigEndian.Uint16(p))
		}
		return string(utf16.Decode(u))
	}
	return fallback
}
