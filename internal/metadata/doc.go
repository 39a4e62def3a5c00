// Package metadata finds and removes what a source's files say about the source:
// where a photo was taken, with which phone, by whom, when, with which program.
//
// # Which function to call
//
// Call Sniff with the file's name and first SniffLen bytes. Its Type says what to do:
//
//   - Cleanable (JPEG, PNG, PDF): by default call CleanJPEG, CleanPNG or CleanPDF (or
//     Clean, which picks one) and seal what they write; when the source ticked "keep
//     metadata", seal the file as it is and call InspectJPEG, InspectPNG or InspectPDF
//     (or Inspect) for the report. JPEG and PNG work on streams, so they can run while an
//     upload arrives; InspectJPEG and InspectPNG read to the end, so
//     InspectJPEG(io.TeeReader(upload, sealer)) seals and inspects in one pass. PDF needs
//     random access: pass an io.ReaderAt over the sealed staging copy (age's
//     DecryptReaderAt).
//   - CarriesNoMetadata (plain text): call CopyText, which checks that the whole file,
//     not only its head, is text.
//   - NeedsAsIsConsent (DOCX, HEIC, MOV, ZIP, SVG, e-mail, …): Tipline cannot clean it;
//     accept it only if the source ticked "send my other files as they are", and show
//     the Type's Name so the source knows what it is.
//
// # The report
//
// Every function returns a Report: each Item has a Category (location, device, author,
// time, thumbnail, software, other), a Label, the Value the file held and whether it was
// Removed or Kept. Report.Summary groups items for the confirmation page. Values are
// content — seal the report with the tip and never log it: Report and Item format
// and log (String, LogValue) without values.
//
// # What is promised
//
//   - The plaintext of a file never touches disk: no temporary files, in this package or
//     in pdfcpu as it is used here (its configuration directory is disabled in init, it
//     reads from an io.ReaderAt and writes to an io.Writer, and its loggers are off by
//     default and never enabled here). A test runs every cleaner with TMPDIR set to an
//     empty directory and checks that it stays empty.
//   - Memory is bounded: JPEG and PNG hold at most one segment or 1 MiB of a chunk;
//     PDFs are held whole in memory and so are limited to MaxPDFSize and MaxPDFObjects;
//     PDFMemory estimates what one takes, for callers that bound how many run at once.
//   - A damaged file returns a *DamagedError whose message the source can read; an
//     encrypted PDF returns ErrEncryptedPDF. On any error the output is incomplete and
//     must be discarded.
//
// What each cleaner removes and keeps, and why, is documented on CleanJPEG, CleanPNG and
// CleanPDF.
package metadata
