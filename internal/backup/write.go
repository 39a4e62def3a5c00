package backup

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"tipline/internal/seal"
	"tipline/internal/store"
)

// partBytes is how many bytes of rows one table part holds at most (one row
// may be bigger): the memory a backup needs, whatever the installation's size.
const partBytes = 4 << 20

// Source is the installation to back up.
type Source struct {
	Store   *store.Store
	DataDir string // the data folder: its key file and onion key are backed up
}

// Write writes a backup of src to dst, sealed to every recipient.
func Write(ctx context.Context, dst io.Writer, src Source, to ...seal.Recipient) (Summary, error) {
	ctx = store.WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	sealed, err := seal.SealTo(dst, to...)
	if err != nil {
		return Summary{}, err
	}
	w := &writer{tar: tar.NewWriter(sealed), created: time.Now().UTC().Truncate(time.Second)}
	sum, err := w.write(ctx, src)
	if err != nil {
		return Summary{}, err
	}
	if err := w.tar.Close(); err != nil {
		return Summary{}, fmt.Errorf("failed to write the backup: %w", err)
	}
	if err := sealed.Close(); err != nil {
		return Summary{}, fmt.Errorf("failed to write the backup: %w", err)
	}
	return sum, nil
}

type writer struct {
	tar     *tar.Writer
	created time.Time
	end     End
}

func (w *writer) write(ctx context.Context, src Source) (Summary, error) {
	files, err := readDataFiles(src.DataDir)
	if err != nil {
		return Summary{}, err
	}
	sn, err := src.Store.Snapshot(ctx)
	if err != nil {
		return Summary{}, err
	}
	defer sn.Close()
	m, err := manifest(ctx, sn, src.Store)
	if err != nil {
		return Summary{}, err
	}
	for _, f := range files {
		m.DataFiles = append(m.DataFiles, f.name)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := w.part(manifestName, b); err != nil {
		return Summary{}, err
	}
	for _, f := range files {
		if err := w.part(dataPrefix+f.name, f.content); err != nil {
			return Summary{}, err
		}
	}
	for _, t := range m.Tables {
		if err := w.table(ctx, sn, t); err != nil {
			return Summary{}, err
		}
	}
	err = sn.BlobFiles(ctx, w.blobFile, func(b store.BlobFile) error {
		if !slices.Contains(w.end.ShreddedTips, b.TipID) {
			w.end.ShreddedTips = append(w.end.ShreddedTips, b.TipID)
		}
		return nil
	})
	if err != nil {
		return Summary{}, err
	}
	for _, p := range w.end.Parts {
		w.end.TotalBytes += p.Bytes
	}
	b, _ = json.MarshalIndent(w.end, "", "  ")
	if _, err := w.entry(endName, int64(len(b)), writeBytes(b)); err != nil {
		return Summary{}, err
	}
	return summarise(m, w.end), nil
}

func manifest(ctx context.Context, sn *store.Snapshot, st *store.Store) (Manifest, error) {
	m := Manifest{Format: Format, Version: Version, Database: "sqlite", Created: time.Now().UTC().Truncate(time.Second)}
	if st.Postgres() {
		m.Database = "postgres"
	}
	var err error
	if m.Schema, err = sn.Schema(ctx); err != nil {
		return m, err
	}
	if m.Schema != store.SchemaVersion() {
		return m, fmt.Errorf("the database's schema is %s and this binary's %s: back up with the binary that serves the database", m.Schema, store.SchemaVersion())
	}
	if m.Tables, err = sn.Tables(ctx); err != nil {
		return m, err
	}
	if m.Blobs, m.Sealed, m.BlobFiles, err = sn.SealedBytes(ctx); err != nil {
		return m, err
	}
	if m.Audit.Entries, m.Audit.Head, err = sn.AuditHead(ctx); err != nil {
		return m, err
	}
	return m, nil
}

type dataFile struct {
	name    string
	content []byte
}

func readDataFiles(dir string) ([]dataFile, error) {
	var out []dataFile
	for _, name := range dataFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", name, err)
		}
		out = append(out, dataFile{name, b})
	}
	if len(out) == 0 || out[0].name != dataFiles[0] {
		return nil, fmt.Errorf("%s has no %s: it is not an installation's data folder", dir, dataFiles[0])
	}
	return out, nil
}

// table writes a table's rows as parts of up to partBytes.
func (w *writer) table(ctx context.Context, sn *store.Snapshot, t store.Table) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	n := 0
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		n++
		err := w.part(tablePart(t.Name, n), buf.Bytes())
		buf.Reset()
		return err
	}
	err := sn.Rows(ctx, t, func(row []any) error {
		if err := enc.Encode(row); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
		if buf.Len() >= partBytes {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

func (w *writer) blobFile(b store.BlobFile) error {
	return w.listed(w.entry(blobPrefix+b.ID, b.Size, b.CopyTo))
}

func (w *writer) part(name string, content []byte) error {
	return w.listed(w.entry(name, int64(len(content)), writeBytes(content)))
}

func (w *writer) listed(p Part, err error) error {
	if err == nil {
		w.end.Parts = append(w.end.Parts, p)
	}
	return err
}

func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// entry writes one tar entry of size bytes, which content writes.
func (w *writer) entry(name string, size int64, content func(io.Writer) error) (Part, error) {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: w.created}
	if err := w.tar.WriteHeader(hdr); err != nil {
		return Part{}, fmt.Errorf("failed to write the backup: %w", err)
	}
	h := newHashing()
	if err := content(io.MultiWriter(w.tar, h)); err != nil {
		return Part{}, fmt.Errorf("failed to write %s to the backup: %w", name, err)
	}
	return h.part(name), nil
}
