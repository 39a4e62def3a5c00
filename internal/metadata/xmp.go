package metadata

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// xmpProps are the XMP properties worth naming to a source, by local name (prefixes vary
// between writers, local names do not). Others are counted under "other XMP properties".
var xmpProps = map[string]tagInfo{
	"GPSLatitude":           {Location, "GPS latitude"},
	"GPSLongitude":          {Location, "GPS longitude"},
	"GPSAltitude":           {Location, "GPS altitude"},
	"City":                  {Location, "city"},
	"State":                 {Location, "state or province"},
	"Country":               {Location, "country"},
	"CountryCode":           {Location, "country code"},
	"Location":              {Location, "place"},
	"Sublocation":           {Location, "place"},
	"Make":                  {Device, "camera make"},
	"Model":                 {Device, "camera model"},
	"SerialNumber":          {Device, "camera serial number"},
	"BodySerialNumber":      {Device, "camera serial number"},
	"Lens":                  {Device, "lens model"},
	"LensModel":             {Device, "lens model"},
	"LensSerialNumber":      {Device, "lens serial number"},
	"OwnerName":             {Author, "camera owner"},
	"CameraOwnerName":       {Author, "camera owner"},
	"creator":               {Author, "author"},
	"Author":                {Author, "author"},
	"rights":                {Author, "copyright"},
	"Owner":                 {Author, "rights owner"},
	"AuthorsPosition":       {Author, "author's job title"},
	"CreatorContactInfo":    {Author, "author's contact details"},
	"Credit":                {Author, "credit"},
	"LastModifiedBy":        {Author, "last modified by"},
	"CreatorTool":           {Software, "software"},
	"Producer":              {Software, "PDF producer"},
	"Software":              {Software, "software"},
	"History":               {Software, "editing history"},
	"CreateDate":            {Time, "creation date"},
	"ModifyDate":            {Time, "modification date"},
	"MetadataDate":          {Time, "metadata date"},
	"DateCreated":           {Time, "creation date"},
	"DateTimeOriginal":      {Time, "original date-time"},
	"DocumentID":            {Other, "document ID (can link this file to its original)"},
	"InstanceID":            {Other, "instance ID (can link this file to its original)"},
	"OriginalDocumentID":    {Other, "original document ID (can link this file to its original)"},
	"DerivedFrom":           {Other, "source document"},
	"title":                 {Other, "title"},
	"description":           {Other, "description"},
	"subject":               {Other, "keywords"},
	"Keywords":              {Other, "keywords"},
	"Thumbnails":            {Thumbnail, "embedded preview image (may show the original)"},
	"image":                 {Thumbnail, "embedded preview image (may show the original)"},
	"Headline":              {Other, "headline"},
	"Instructions":          {Other, "instructions"},
	"TransmissionReference": {Other, "job reference"},
}

// maxXMP caps how much of an XMP packet is parsed for the report; the packet is removed
// whole whatever its size.
const maxXMP = 1 << 20

// parseXMP names what an XMP packet says. It never fails: a packet that is not
// well-formed XML is reported as "unreadable XMP metadata".
func parseXMP(b []byte) []found {
	if len(b) > maxXMP {
		b = b[:maxXMP]
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var (
		items []found
		cur   *found // the named property being read
		depth int    // element depth; curDepth is where cur started
		curAt int
		other int
		texts []string
	)
	for {
		tok, err := d.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) && len(items) == 0 && other == 0 {
				return []found{{Other, "unreadable XMP metadata", fmt.Sprintf("%d bytes", len(b))}}
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if cur != nil {
				continue
			}
			if t.Name.Local == "Description" {
				for _, a := range t.Attr {
					if p, ok := xmpProps[a.Name.Local]; ok {
						items = append(items, found{p.cat, p.label, a.Value})
					} else if a.Name.Space != "xmlns" && a.Name.Local != "about" && a.Name.Space != "" {
						other++
					}
				}
				continue
			}
			if p, ok := xmpProps[t.Name.Local]; ok {
				cur, curAt, texts = &found{p.cat, p.label, ""}, depth, nil
			} else if depth > 3 && !strings.HasPrefix(t.Name.Local, "RDF") && t.Name.Local != "li" &&
				t.Name.Local != "Seq" && t.Name.Local != "Bag" && t.Name.Local != "Alt" {
				other++
			}
		case xml.CharData:
			if cur != nil {
				if s := strings.TrimSpace(string(t)); s != "" && len(texts) < 32 {
					texts = append(texts, s)
				}
			}
		case xml.EndElement:
			if cur != nil && depth == curAt {
				cur.value = strings.Join(texts, "; ")
				if cur.cat == Thumbnail || cur.label == "editing history" {
					cur.value = fmt.Sprintf("%d bytes of text", len(cur.value))
				}
				items = append(items, *cur)
				cur = nil
			}
			depth--
		}
	}
	if other > 0 {
		items = append(items, found{Other, "other XMP properties", fmt.Sprintf("%d properties", other)})
	}
	if len(items) == 0 {
		items = append(items, found{Other, "XMP metadata", fmt.Sprintf("%d bytes", len(b))})
	}
	return items
}
