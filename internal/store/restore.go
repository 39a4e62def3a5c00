package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// ErrNotEmpty refuses a restore into a database that already has tables.
var ErrNotEmpty = errors.New("the database is not empty")

// Restorer loads a backup into an empty database in one transaction: the
// migrations up to the backup's schema, its rows table by table in the
// backup's order, its blob files, then the migrations that came after it.
// Nothing is visible, and nothing stays, until Commit. On SQLite, blob files
// are written into the blob folder as they come; on PostgreSQL they become
// chunk rows, so that a trial on SQLite moves to PostgreSQL by a restore.
type Restorer struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	schema string
	tables []*restoreTable
	at     int // the table being loaded

	batch      [][]any
	batchBytes int

	files   map[string]fileRow // blob files the loaded rows name, by blob id
	written []string           // blob files written into the blob folder
}

type restoreTable struct {
	Table
	loaded int64
}

type fileRow struct {
	tipID   string
	size    int64
	written bool
}

// BeginRestore starts loading a backup made at schema, with tables (in the
// order to insert them), into this database, which must be empty.
func (s *Store) BeginRestore(ctx context.Context, schema string, tables []Table) (*Restorer, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	known, err := migrationVersions()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(known, schema) {
		return nil, &SchemaNewerError{Database: schema, Binary: SchemaVersion(), Unknown: []string{schema}}
	}
	existing, err := s.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("%w: it has %d tables (%s, ...)", ErrNotEmpty, len(existing), existing[0])
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("failed to begin the restore: %w", err)
	}
	r := &Restorer{s: s, ctx: ctx, tx: tx, schema: schema, files: map[string]fileRow{}}
	if err := r.prepare(known, tables); err != nil {
		tx.Rollback()
		return nil, err
	}
	return r, nil
}

// prepare migrates to the backup's schema, checks that its tables are this
// schema's, and empties them of the rows migrations seed.
func (r *Restorer) prepare(known []string, tables []Table) error {
	if _, err := r.tx.ExecContext(r.ctx, createMigrationsTable); err != nil {
		return fmt.Errorf("failed to prepare migrations: %w", err)
	}
	for _, v := range known {
		if v > r.schema {
			break
		}
		if _, err := r.s.applyMigration(r.ctx, r.tx, v); err != nil {
			return fmt.Errorf("failed to create the schema: %w", err)
		}
	}
	for _, t := range tables {
		have, err := r.columns(t.Name)
		if err != nil {
			return err
		}
		var want []string
		for _, c := range t.Columns {
			want = append(want, c.Name)
		}
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			return fmt.Errorf("table %s of the backup has columns %v, schema %s has %v", t.Name, want, r.schema, have)
		}
		r.tables = append(r.tables, &restoreTable{Table: t})
	}
	for i := len(r.tables) - 1; i >= 0; i-- {
		if _, err := r.tx.ExecContext(r.ctx, `DELETE FROM `+r.tables[i].Name); err != nil {
			return fmt.Errorf("failed to empty table %s: %w", r.tables[i].Name, err)
		}
	}
	return nil
}

func (r *Restorer) columns(table string) ([]string, error) {
	if strings.ContainsFunc(table, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c == '_') }) {
		return nil, fmt.Errorf("%q is not a table name", table)
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, fmt.Errorf("table %s of the backup is not in schema %s: %w", table, r.schema, err)
	}
	defer rows.Close()
	return rows.Columns()
}

// restoreBatchBytes bounds the rows held before they are inserted.
const restoreBatchBytes = 2 << 20

// Row loads one row of table, as a JSON array in the backup's form (see
// Snapshot.Rows). Tables come in the order BeginRestore was given; a table
// may have no rows at all.
func (r *Restorer) Row(table string, line []byte) error {
	if err := r.moveTo(table); err != nil {
		return err
	}
	t := r.tables[r.at]
	row, err := decodeRow(t.Table, line)
	if err != nil {
		return fmt.Errorf("table %s, row %d: %w", table, t.loaded+1, err)
	}
	if t.Name == "blobs" {
		r.noteBlob(t.Table, row)
	}
	t.loaded++
	r.batch = append(r.batch, row)
	r.batchBytes += len(line)
	if r.batchBytes >= restoreBatchBytes || len(r.batch)*len(row) >= maxInsertArgs {
		return r.flush()
	}
	return nil
}

// moveTo makes table the one being loaded: the same, or one after it.
func (r *Restorer) moveTo(table string) error {
	for i := r.at; i < len(r.tables); i++ {
		if r.tables[i].Name != table {
			continue
		}
		if i > r.at {
			if err := r.flush(); err != nil {
				return err
			}
			r.at = i
		}
		return nil
	}
	return fmt.Errorf("rows of table %s come out of order", table)
}

func (r *Restorer) flush() error {
	if len(r.batch) == 0 {
		return nil
	}
	t := r.tables[r.at]
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	if err := r.s.insertRows(r.ctx, r.tx, t.Name+" ("+strings.Join(names, ", ")+")", r.batch); err != nil {
		return fmt.Errorf("failed to restore table %s: %w", t.Name, err)
	}
	r.batch, r.batchBytes = r.batch[:0], 0
	return nil
}

func decodeRow(t Table, line []byte) ([]any, error) {
	raw, err := splitRow(line)
	if err != nil {
		return nil, err
	}
	if len(raw) != len(t.Columns) {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), len(t.Columns))
	}
	row := make([]any, len(raw))
	for i, c := range t.Columns {
		v, err := restoreValue(c.Kind, raw[i])
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		row[i] = v
	}
	return row, nil
}

// splitRow cuts a row — a JSON array of strings, integers and nulls, as
// Snapshot.Rows's values encode — into its values' JSON text. It finds a
// string's end with IndexByte rather than decoding it: a chunk row is a
// megabyte of base64, which encoding/json scanned at a seventh of the speed.
func splitRow(line []byte) ([][]byte, error) {
	b := bytes.TrimSpace(line)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, errors.New("a row is not a JSON array")
	}
	b = bytes.TrimSpace(b[1 : len(b)-1])
	var out [][]byte
	for len(b) > 0 {
		end := bytes.IndexByte(b, ',')
		if b[0] == '"' {
			end = stringEnd(b)
			if end < 0 {
				return nil, errors.New("a string in a row does not end")
			}
		} else if end < 0 {
			end = len(b)
		}
		out = append(out, bytes.TrimSpace(b[:end]))
		b = bytes.TrimSpace(b[end:])
		if len(b) > 0 {
			if b[0] != ',' {
				return nil, fmt.Errorf("unexpected %q in a row", b[0])
			}
			if b = bytes.TrimSpace(b[1:]); len(b) == 0 {
				return nil, errors.New("a row ends with a comma")
			}
		}
	}
	return out, nil
}

// stringEnd returns the length of the JSON string at the start of b, its
// quotes included, or -1.
func stringEnd(b []byte) int {
	for i := 1; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		backslashes := 0
		for k := i - 1; k > 0 && b[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i + 1
		}
		i++
	}
	return -1
}

func restoreValue(kind string, raw []byte) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	quoted := len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"'
	switch kind {
	case KindText:
		var s string
		if quoted && json.Unmarshal(raw, &s) == nil {
			return s, nil
		}
	case KindInt:
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return n, nil
		}
	case KindBytes:
		// Base64 needs no escapes: the text between the quotes is the value.
		if quoted {
			b := make([]byte, base64.StdEncoding.DecodedLen(len(raw)-2))
			if n, err := base64.StdEncoding.Decode(b, raw[1:len(raw)-1]); err == nil {
				return b[:n], nil
			}
		}
	}
	return nil, fmt.Errorf("%.40s is not a %s value", raw, kind)
}

// noteBlob remembers a blob row that is a blob file, to be given by BlobFile.
func (r *Restorer) noteBlob(t Table, row []any) {
	var id, tipID string
	var size, inFile int64
	for i, c := range t.Columns {
		switch c.Name {
		case "id":
			id, _ = row[i].(string)
		case "tip_id":
			tipID, _ = row[i].(string)
		case "size":
			size, _ = row[i].(int64)
		case "in_file":
			inFile, _ = row[i].(int64)
		}
	}
	if inFile == 1 {
		r.files[id] = fileRow{tipID: tipID, size: size}
	}
}

// BlobFile loads the content of a blob file that a loaded blobs row names:
// into the blob folder on SQLite, as chunk rows on PostgreSQL.
func (r *Restorer) BlobFile(id string, content io.Reader) error {
	if err := r.flush(); err != nil {
		return err
	}
	f, ok := r.files[id]
	switch {
	case !looksLikeID(id):
		return fmt.Errorf("%q is not a blob id", id)
	case !ok:
		return fmt.Errorf("blob file %s is not one the backup's rows name", id)
	case f.written:
		return fmt.Errorf("blob file %s comes twice", id)
	}
	var err error
	if r.s.files != nil {
		err = r.writeBlobFile(id, f.size, content)
	} else {
		err = r.writeBlobChunks(id, f.size, content)
	}
	if err != nil {
		return fmt.Errorf("failed to restore blob file %s: %w", id, err)
	}
	f.written = true
	r.files[id] = f
	return nil
}

// writeBlobFile writes a blob file through the page cache; Commit makes
// every one durable at once (see syncRestoredFiles).
func (r *Restorer) writeBlobFile(id string, size int64, content io.Reader) error {
	f, err := os.OpenFile(r.s.files.path(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	r.written = append(r.written, id)
	_, err = io.CopyN(f, content, size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (r *Restorer) writeBlobChunks(id string, size int64, content io.Reader) error {
	buf := make([]byte, ChunkSize)
	for seq := 0; seq == 0 || int64(seq)*ChunkSize < size; seq++ {
		chunk := buf[:min(size-int64(seq)*ChunkSize, ChunkSize)]
		if _, err := io.ReadFull(content, chunk); err != nil {
			return err
		}
		if _, err := r.s.exec(r.ctx, r.tx, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, id, seq, chunk); err != nil {
			return err
		}
	}
	_, err := r.s.exec(r.ctx, r.tx, `UPDATE blobs SET in_file = 0 WHERE id = ?`, id)
	return err
}

// Shred deletes tips as ShredTip does: those shredded while the backup was
// being made, whose blob files were gone before the backup could copy them.
func (r *Restorer) Shred(tipIDs ...string) error {
	if err := r.flush(); err != nil {
		return err
	}
	for _, id := range tipIDs {
		if err := r.s.shredRows(r.ctx, r.tx, id); err != nil {
			return fmt.Errorf("failed to shred tip %s: %w", id, err)
		}
		for blob, f := range r.files {
			if f.tipID == id {
				delete(r.files, blob)
				if f.written && r.s.files != nil {
					if err := r.s.files.remove(blob); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// AuditHead returns the loaded audit log's last entry: seq and hash.
func (r *Restorer) AuditHead() (int64, string, error) {
	if err := r.flush(); err != nil {
		return 0, "", err
	}
	var seq int64
	var hash string
	err := r.tx.QueryRowContext(r.ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("failed to read the audit log's head: %w", err)
	}
	return seq, hash, nil
}

// Commit checks that every table has the rows the backup said and every blob
// file came, migrates to this binary's schema and commits.
func (r *Restorer) Commit() error {
	if err := r.flush(); err != nil {
		return err
	}
	for _, t := range r.tables {
		if t.loaded != t.Rows {
			return fmt.Errorf("table %s: %d rows restored, the backup says %d", t.Name, t.loaded, t.Rows)
		}
	}
	for id, f := range r.files {
		if !f.written {
			return fmt.Errorf("blob file %s of tip %s is not in the backup", id, f.tipID)
		}
	}
	if r.s.files != nil && len(r.written) > 0 {
		if err := syncRestoredFiles(r.s.files.dir, r.written); err != nil {
			return err
		}
	}
	known, err := migrationVersions()
	if err != nil {
		return err
	}
	for _, v := range known {
		if v > r.schema {
			if _, err := r.s.applyMigration(r.ctx, r.tx, v); err != nil {
				return fmt.Errorf("failed to migrate the restored database: %w", err)
			}
		}
	}
	if err := r.tx.Commit(); err != nil {
		return fmt.Errorf("failed to commit the restore: %w", err)
	}
	return nil
}

// Rollback abandons the restore: the transaction, and the blob files it
// wrote.
func (r *Restorer) Rollback() error {
	err := r.tx.Rollback()
	if r.s.files != nil {
		err = errors.Join(err, r.s.files.remove(r.written...))
	}
	return err
}
