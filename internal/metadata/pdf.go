package metadata

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfcpu, on first use of its default configuration, creates a configuration directory
// (config.yml, fonts, certificates) under the user's config directory or, failing that,
// the temp directory. Disabling it makes pdfcpu use its built-in defaults and never touch
// the file system. This runs before main, so no goroutine can race with it.
func init() { api.DisableConfigDir() }

// MaxPDFSize is the largest PDF CleanPDF and InspectPDF accept: pdfcpu holds a whole
// document in memory (never on disk), so its size must be bounded.
const MaxPDFSize = 256 << 20

// MaxPDFObjects is the most objects a PDF CleanPDF and InspectPDF accept. pdfcpu holds
// every object in memory, and a small file can declare many (object streams compress
// them): measured, 100,000 small objects in an 8 MB file took 290 MB. A book of a
// thousand pages has a few tens of thousands.
const MaxPDFObjects = 100_000

// PDFMemory is about the most memory CleanPDF or InspectPDF may take for a PDF of size
// bytes, for callers that bound how many run at once: the document held whole, the
// garbage collector's slack, and MaxPDFObjects at about 3 KiB each (measured).
func PDFMemory(size int64) int64 { return 2*min(size, MaxPDFSize) + MaxPDFObjects*3<<10 }

// CleanPDF writes the PDF in src (size bytes, read at random, e.g. through age's
// DecryptReaderAt over a sealed staging copy) to dst without its metadata, and reports
// what it found. The document is parsed and rewritten whole by pdfcpu, in memory only:
// earlier revisions kept by incremental updates, and objects nothing refers to, are not
// carried over.
//
// Removed: every entry of the document information dictionary (Author, Creator, Producer,
// Title, Subject, Keywords, dates, custom keys), XMP metadata streams (the catalog's and
// any page's, image's or font's), application private data (PieceInfo), the authors and
// dates of comments (annotations), the file identifier, and the metadata of embedded JPEG
// images (see CleanJPEG). pdfcpu then writes a new information dictionary holding only
// its own name as Producer and the time of cleaning as CreationDate and ModDate.
// Kept, and said so in the report: attached files, which are not checked.
//
// Encrypted PDFs are refused with ErrEncryptedPDF; malformed ones with a *DamagedError.
// On error, what was written to dst is incomplete and must be discarded.
func CleanPDF(dst io.Writer, src io.ReaderAt, size int64) (rep Report, err error) {
	ctx, err := readPDF(src, size)
	if err != nil {
		return Report{Type: PDF}, err
	}
	s := &pdfScan{ctx: ctx, rep: Report{Type: PDF}, remove: true}
	if err := s.run(); err != nil {
		return s.rep, damaged("PDF", -1, "its objects could not be read")
	}
	out := &recordingWriter{w: dst}
	if err := catch(func() error { return api.WriteContext(ctx, out) }); err != nil {
		if out.err != nil {
			return s.rep, fmt.Errorf("failed to write cleaned PDF: %w", out.err)
		}
		// Not the writer's fault: pdfcpu cannot write the document it read (a catalog
		// without a page tree, say), or it panicked.
		return s.rep, damaged("PDF", -1, "it could not be rewritten")
	}
	return s.rep, nil
}

// recordingWriter keeps the first error of the writer it wraps, so that a failure to
// write can be told from a document that cannot be written.
type recordingWriter struct {
	w   io.Writer
	err error
}

func (r *recordingWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}

// InspectPDF reports the metadata of the PDF in src, marking every item as kept, for a
// source who chose to keep it. It does not change or copy anything.
func InspectPDF(src io.ReaderAt, size int64) (Report, error) {
	ctx, err := readPDF(src, size)
	if err != nil {
		return Report{Type: PDF}, err
	}
	s := &pdfScan{ctx: ctx, rep: Report{Type: PDF}}
	if err := s.run(); err != nil {
		return s.rep, damaged("PDF", -1, "its objects could not be read")
	}
	return s.rep, nil
}

var errPanic = errors.New("pdf library panicked")

// catch runs f and turns a panic inside pdfcpu (which fuzzing shows can happen on
// malformed input) into errPanic.
func catch(f func() error) (err error) {
	defer func() {
		if recover() != nil {
			err = errPanic
		}
	}()
	return f()
}

func readPDF(src io.ReaderAt, size int64) (*model.Context, error) {
	if size > MaxPDFSize {
		return nil, ErrTooLarge
	}
	var head [5]byte
	if n, _ := src.ReadAt(head[:], 0); n < len(head) || string(head[:]) != "%PDF-" {
		return nil, damaged("PDF", 0, "it does not start like a PDF file")
	}
	if n, err := countPDFObjects(src, size, MaxPDFObjects); err != nil {
		return nil, fmt.Errorf("failed to read PDF: %w", err)
	} else if n > MaxPDFObjects {
		return nil, damaged("PDF", -1, fmt.Sprintf("it has more than %d objects", MaxPDFObjects))
	}
	conf := model.NewDefaultConfiguration() // the built-in defaults: see init
	conf.Offline = true                     // never fetch revocation lists or anything else
	conf.ValidationMode = model.ValidationRelaxed
	// Bound what a small hostile file can make pdfcpu allocate (object streams are
	// decompressed while reading): no stream is larger than the file, and no decoded
	// stream is larger than this.
	conf.Limits.MaxStreamBytes = MaxPDFSize
	conf.Limits.MaxDecodeBytes = 64 << 20
	conf.Limits.MaxObjectCount = MaxPDFObjects
	conf.Limits.MaxXRefEntries = 2 * MaxPDFObjects // incremental updates list objects again
	var ctx *model.Context
	err := catch(func() (err error) {
		ctx, err = api.ReadContext(io.NewSectionReader(src, 0, size), conf)
		return err
	})
	switch {
	case errors.Is(err, pdfcpu.ErrWrongPassword), errors.Is(err, pdfcpu.ErrEncrypted):
		return nil, ErrEncryptedPDF
	case err != nil:
		// pdfcpu's message may quote the file; it is not passed on.
		return nil, damaged("PDF", -1, "its structure could not be read")
	case ctx.Encrypt != nil:
		return nil, ErrEncryptedPDF
	}
	return ctx, nil
}

// pdfScan walks a document's objects, reporting (and, if remove is set, deleting) metadata.
type pdfScan struct {
	ctx    *model.Context
	rep    Report
	remove bool
}

func (s *pdfScan) add(fs ...found) {
	a := Kept
	if s.remove {
		a = Removed
	}
	for _, f := range fs {
		s.rep.add(f.cat, f.label, f.value, a)
	}
}

func (s *pdfScan) run() error {
	return catch(func() error {
		s.info()
		if root := s.ctx.RootDict; root != nil {
			s.metadataEntry(root, "document XMP")
		}
		s.objects()
		if s.remove {
			s.dropDanglingReferences()
		}
		if s.ctx.ID != nil {
			s.add(found{Other, "file identifier (can link this file to its original)", s.ctx.ID.String()})
			if s.remove {
				s.ctx.ID = nil // pdfcpu writes a new, random one
			}
		}
		return nil
	})
}

// infoKeys names the standard entries of the document information dictionary.
var infoKeys = map[string]tagInfo{
	"Author":       {Author, "author"},
	"Creator":      {Software, "creating application"},
	"Producer":     {Software, "PDF producer"},
	"Title":        {Other, "title"},
	"Subject":      {Other, "subject"},
	"Keywords":     {Other, "keywords"},
	"CreationDate": {Time, "creation date"},
	"ModDate":      {Time, "modification date"},
	"Trapped":      {Other, "trapping"},
	"Company":      {Author, "company"},
	"Manager":      {Author, "manager"},
}

// info reports and empties the document information dictionary.
func (s *pdfScan) info() {
	if s.ctx.Info == nil {
		return
	}
	d, err := s.ctx.DereferenceDict(*s.ctx.Info)
	if err != nil || d == nil {
		return
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t, ok := infoKeys[k]
		if !ok {
			t = tagInfo{Other, "custom field " + cleanValue(k)}
		}
		s.add(found{t.cat, t.label, s.text(d[k])})
		if s.remove {
			d.Delete(k)
		}
	}
}

// text renders a PDF object for the report.
func (s *pdfScan) text(o types.Object) string {
	o, err := s.ctx.Dereference(o)
	if err != nil || o == nil {
		return ""
	}
	switch v := o.(type) {
	case types.StringLiteral:
		if t, err := types.StringLiteralToString(v); err == nil {
			return t
		}
	case types.HexLiteral:
		if t, err := types.HexLiteralToString(v); err == nil {
			return t
		}
	case types.Name:
		return v.Value()
	}
	return o.String()
}

// metadataEntry reports (and removes) the XMP stream a dictionary's /Metadata refers to.
func (s *pdfScan) metadataEntry(d types.Dict, where string) {
	o, ok := d.Find("Metadata")
	if !ok {
		return
	}
	if sd, _, err := s.ctx.DereferenceStreamDict(o); err == nil && sd != nil {
		if err := sd.DecodeWithLimit(maxXMP); err == nil {
			for _, f := range parseXMP(sd.Content) {
				f.label = where + ": " + f.label
				s.add(f)
			}
		} else {
			s.add(found{Other, where, "unreadable"})
		}
	}
	if s.remove {
		d.Delete("Metadata")
	}
}
