package metadata

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// objects walks every object of the document for metadata that hangs off objects
// other than the catalog: XMP on pages, images and fonts; PieceInfo; comment authors;
// EXIF in embedded JPEG images; attached files.
func (s *pdfScan) objects() {
	nrs := make([]int, 0, len(s.ctx.Table))
	for nr := range s.ctx.Table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	attachments := 0
	for _, nr := range nrs {
		e := s.ctx.Table[nr]
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		switch o := e.Object.(type) {
		case types.Dict:
			s.dict(o)
		case types.StreamDict:
			s.dict(o.Dict)
			if t := o.Type(); t != nil && *t == "EmbeddedFile" {
				attachments++
			}
			if sub := o.Subtype(); sub != nil && *sub == "Image" {
				if cleaned, ok := s.jpegImage(o); ok {
					e.Object = cleaned
				}
			}
		}
	}
	if attachments > 0 {
		s.rep.addNote(Other, "attached files", fmt.Sprintf("%d file(s)", attachments), Kept,
			"not checked: files attached inside a PDF keep whatever metadata they have")
	}
}

// markupAnnotations are the annotation subtypes whose /T entry names the comment's author
// (for widgets /T is a form field's name, and is kept).
var markupAnnotations = map[string]bool{
	"Text": true, "FreeText": true, "Line": true, "Square": true, "Circle": true, "Polygon": true,
	"PolyLine": true, "Highlight": true, "Underline": true, "Squiggly": true, "StrikeOut": true,
	"Stamp": true, "Caret": true, "Ink": true, "Popup": true, "FileAttachment": true,
	"Sound": true, "Redact": true,
}

// dict handles the metadata entries of one dictionary other than the catalog.
func (s *pdfScan) dict(d types.Dict) {
	if t := d.Type(); t != nil && *t == "Catalog" {
		return // handled by run, with the document's XMP
	}
	if _, ok := d.Find("Metadata"); ok {
		s.metadataEntry(d, "XMP on a page, image or font")
	}
	if pi, ok := d.Find("PieceInfo"); ok {
		s.add(found{Other, "application private data (PieceInfo)", fmt.Sprintf("%d bytes", len(s.text(pi)))})
		if s.remove {
			d.Delete("PieceInfo")
		}
	}
	if sub := d.Subtype(); sub != nil && markupAnnotations[*sub] {
		for _, k := range []struct {
			key string
			tagInfo
		}{{"T", tagInfo{Author, "comment author"}}, {"M", tagInfo{Time, "comment date"}}, {"CreationDate", tagInfo{Time, "comment date"}}} {
			if v, ok := d.Find(k.key); ok {
				s.add(found{k.cat, k.label, s.text(v)})
				if s.remove {
					d.Delete(k.key)
				}
			}
		}
	}
}

// jpegImage reports the metadata of an image stored as a JPEG file (a stream whose only
// filter is DCTDecode) and, when cleaning, returns the stream with a cleaned JPEG.
func (s *pdfScan) jpegImage(sd types.StreamDict) (types.StreamDict, bool) {
	if len(sd.FilterPipeline) != 1 || sd.FilterPipeline[0].Name != "DCTDecode" || sd.Raw == nil {
		return sd, false
	}
	var out bytes.Buffer
	rep, err := processJPEG(&out, bytes.NewReader(sd.Raw), false)
	if err != nil {
		return sd, false // the viewer will cope or not; nothing readable to remove
	}
	removed := false
	for _, it := range rep.Items {
		if it.Action == Removed {
			removed = true
			s.add(found{it.Category, "embedded image: " + it.Label, it.Value})
		}
	}
	if !removed || !s.remove {
		return sd, false
	}
	sd.Raw = out.Bytes()
	n := int64(len(sd.Raw))
	sd.StreamLength = &n
	sd.StreamLengthObjNr = nil
	sd.Update("Length", types.Integer(n))
	return sd, true
}
