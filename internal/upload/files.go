package upload

import (
	"context"
	"io"

	"tipline/internal/metadata"
	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// Choices are the sender's answers about their files.
type Choices struct {
	KeepMetadata bool // keep metadata in JPEG, PNG and PDF
	OthersAsIs   bool // accept types Tipline cannot clean
}

// Process decides, for each staged file, what the sender's choices allow:
// clean it (a new sealed blob replaces the staged one), inspect it, or refuse
// it. The staged copy is read back through the tip's key with random access,
// never into a plaintext file. It returns the files as the report records
// them — their BlobIDs are what the tip or message adopts; problems a sender
// can fix are field errors, and then no files are returned.
func (u *Upload) Process(ctx context.Context, key *seal.Key, choice Choices) ([]tip.File, tip.FieldErrors, error) {
	var files []tip.File
	fe := tip.FieldErrors{}
	for _, f := range u.Files {
		file, err := u.process(ctx, f, key, choice, fe)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, file)
	}
	if len(fe) > 0 {
		return nil, fe, nil
	}
	return files, nil, nil
}

// process decides for one staged file; a problem the sender can fix goes
// into fe.
func (u *Upload) process(ctx context.Context, f *StagedFile, key *seal.Key, choice Choices, fe tip.FieldErrors) (tip.File, error) {
	st := u.st
	file := tip.File{Name: f.name, Type: f.typ.Name, BlobID: f.blob}
	staged, plain, size, err := openStaged(ctx, st, f.blob, key)
	if err != nil {
		return file, err
	}
	defer staged.Close()
	file.Size = size
	release, err := shareFor(ctx, f.typ, size)
	if err != nil {
		return file, err
	}
	defer release()
	switch {
	case f.typ.CarriesNoMetadata():
		if _, err := metadata.CopyText(io.Discard, io.NewSectionReader(plain, 0, size)); err != nil {
			if !choice.OthersAsIs {
				fe["attachment"] = tip.FieldError{Key: "err_file_needs_consent", Arg: f.name}
			}
			break
		}
		file.Metadata = tip.MetadataReport{Checked: true}
	case f.typ.Cleanable() && choice.KeepMetadata:
		rep, err := metadata.Inspect(plain, size, f.typ)
		if err != nil {
			if !choice.OthersAsIs {
				fe["attachment"] = tip.FieldError{Key: "err_file_damaged", Arg: f.name}
			}
			break
		}
		file.Metadata = reportOf(rep)
	case f.typ.Cleanable():
		cleaned, cleanedSize, sealedSize, rep, err := clean(ctx, st, plain, size, f.typ, key.Recipient())
		if cleaned != "" {
			u.staged = append(u.staged, cleaned)
			u.sealed[cleaned] = sealedSize
		}
		if err != nil {
			if isStoreError(err) {
				return file, err
			}
			if !choice.OthersAsIs {
				fe["attachment"] = tip.FieldError{Key: "err_file_damaged", Arg: f.name}
			}
			break
		}
		st.DeleteStaged(ctx, f.blob)
		file.BlobID, file.Size, file.Metadata = cleaned, cleanedSize, reportOf(rep)
	default:
		if !choice.OthersAsIs {
			fe["attachment"] = tip.FieldError{Key: "err_file_needs_consent", Arg: f.name + " (" + f.typ.Name + ")"}
		}
	}
	return file, nil
}

// openStaged gives random access to a staged file's plaintext. Close the
// blob when done.
func openStaged(ctx context.Context, st *store.Store, blobID string, key *seal.Key) (*store.Blob, io.ReaderAt, int64, error) {
	b, err := st.OpenStagedBlob(ctx, blobID)
	if err != nil {
		return nil, nil, 0, err
	}
	plain, size, err := seal.OpenAt(b, b.Size(), key)
	if err != nil {
		b.Close()
		return nil, nil, 0, err
	}
	return b, plain, size, nil
}

// clean writes a cleaned copy of a file into a new staging blob, and
// returns its id, its size and its sealed size.
func clean(ctx context.Context, st *store.Store, plain io.ReaderAt, size int64, typ metadata.Type, to seal.Recipient) (string, int64, int64, metadata.Report, error) {
	bw, err := st.NewStagedBlob(ctx)
	if err != nil {
		return "", 0, 0, metadata.Report{}, storeError{err}
	}
	counter := &countingWriter{}
	var rep metadata.Report
	sw, err := seal.Seal(storeWriter{bw}, to)
	if err == nil {
		rep, err = metadata.Clean(io.MultiWriter(sw, counter), plain, size, typ)
		if err == nil {
			err = closeStore(sw)
		}
	}
	if err == nil {
		err = closeStore(bw)
	}
	if err != nil {
		bw.Discard()
		return "", 0, 0, metadata.Report{}, err
	}
	return bw.ID(), counter.n, bw.Size(), rep, nil
}

type closer interface{ Close() error }

func closeStore(c closer) error {
	if err := c.Close(); err != nil {
		return storeError{err}
	}
	return nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// reportOf turns the metadata package's report into the sealed record, its
// items grouped by category in the order the confirmation page shows them
// (where the file was taken first).
func reportOf(rep metadata.Report) tip.MetadataReport {
	out := tip.MetadataReport{Checked: true}
	for _, g := range rep.Summary() {
		for _, it := range g.Items {
			out.Items = append(out.Items, tip.MetadataItem{
				Category: it.Category.String(), Label: it.Label, Value: it.Value, Removed: it.Action == metadata.Removed,
			})
		}
	}
	return out
}
