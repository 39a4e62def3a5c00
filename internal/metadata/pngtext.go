package metadata

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// pngKeywords are the registered PNG text keywords and what they reveal.
var pngKeywords = map[string]tagInfo{
	"title":         {Other, "title"},
	"author":        {Author, "author"},
	"description":   {Other, "description"},
	"copyright":     {Author, "copyright"},
	"creation time": {Time, "creation time"},
	"software":      {Software, "software"},
	"disclaimer":    {Other, "disclaimer"},
	"warning":       {Other, "warning"},
	"source":        {Device, "device (source)"},
	"comment":       {Other, "comment"},
}

// pngText describes a tEXt, zTXt or iTXt chunk: XMP and ImageMagick's raw EXIF profiles
// are parsed; other text is reported under its keyword.
func pngText(typ string, data []byte) []found {
	kw, rest, ok := bytes.Cut(data, []byte{0})
	if !ok {
		return []found{{Other, "unreadable text chunk", fmt.Sprintf("%d bytes", len(data))}}
	}
	keyword := latin1(kw)
	var text []byte
	switch typ {
	case "tEXt":
		text = []byte(latin1(rest))
	case "zTXt":
		if len(rest) < 1 {
			return []found{{Other, "unreadable text chunk", keyword}}
		}
		text = []byte(latin1(inflate(rest[1:])))
	case "iTXt":
		if len(rest) < 2 {
			return []found{{Other, "unreadable text chunk", keyword}}
		}
		compressed := rest[0] == 1
		parts := bytes.SplitN(rest[2:], []byte{0}, 3) // language tag, translated keyword, text
		if len(parts) < 3 {
			return []found{{Other, "unreadable text chunk", keyword}}
		}
		text = parts[2]
		if compressed {
			text = inflate(text)
		}
	}
	switch {
	case keyword == "XML:com.adobe.xmp":
		return parseXMP(text)
	case strings.HasPrefix(keyword, "Raw profile type "):
		return rawProfile(strings.TrimPrefix(keyword, "Raw profile type "), text)
	}
	if t, ok := pngKeywords[strings.ToLower(keyword)]; ok {
		return []found{{t.cat, t.label, string(text)}}
	}
	return []found{{Other, "text: " + cleanValue(keyword), string(text)}}
}

// inflate decompresses zlib data, at most maxCapture bytes of it; what cannot be
// decompressed is simply left out of the report (the chunk is removed anyway).
func inflate(b []byte) []byte {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	defer zr.Close()
	out, _ := io.ReadAll(io.LimitReader(zr, maxCapture))
	return out
}

// latin1 decodes ISO 8859-1, the encoding of tEXt and zTXt.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// rawProfile describes ImageMagick's hex-encoded profiles ("\nexif\n  1234\n4578..."),
// parsing EXIF ones.
func rawProfile(kind string, text []byte) []found {
	fields := strings.Fields(string(text))
	if (kind == "exif" || kind == "APP1") && len(fields) >= 3 {
		b, err := hex.DecodeString(strings.Join(fields[2:], ""))
		if err == nil {
			return parseEXIF(bytes.TrimPrefix(b, []byte("Exif\x00\x00"))).items
		}
	}
	return []found{{Other, "embedded " + cleanValue(kind) + " profile", fmt.Sprintf("%d bytes", len(text))}}
}
