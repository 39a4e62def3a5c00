package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// backupTables are the tables a backup holds, parents before children, so
// that a restore inserts them in this order with every foreign key checked.
// Each is read in the order of its primary key, so that the same database
// always makes the same backup. A table a migration adds goes here or in
// notBackedUp (TestEveryTableIsBackedUpOrSaysWhyNot holds the lists to the
// schema).
var backupTables = []backupTable{
	{name: "offers", order: "id"},
	{name: "offer_recipients", order: "offer_id, holder"},
	// Staging blobs (no tip yet) are uploads in progress: ciphertext whose
	// key is not stored anywhere, worthless in a backup.
	{name: "blobs", order: "id", where: "tip_id IS NOT NULL"},
	{name: "blob_chunks", order: "blob_id, seq", where: "blob_id IN (SELECT id FROM blobs WHERE tip_id IS NOT NULL)"},
	{name: "tips", order: "id"},
	{name: "tip_keys", order: "tip_id, holder"},
	{name: "recovery_recipient", order: "id"},
	{name: "recovery_pending", order: "tip_id"},
	{name: "messages", order: "id"},
	{name: "notes", order: "id"},
	{name: "tip_labels", order: "tip_id, label"},
	{name: "tip_tokens", order: "token, tip_id"},
	{name: "statuses", order: "code"},
	{name: "settings", order: "name"},
	{name: "list_versions", order: "id"},
	{name: "list_current", order: "source"},
	{name: "list_refresh", order: "source"},
	{name: "users", order: "id"},
	{name: "user_roles", order: "user_id, role"},
	{name: "webauthn_credentials", order: "id"},
	{name: "invitations", order: "id"},
	{name: "rewards", order: "id"},
	{name: "reward_ledger", order: "id"},
	{name: "audit_log", order: "seq"},
}

// notBackedUp are the tables a backup leaves out, and why.
var notBackedUp = map[string]string{
	"schema_migrations":      "the backup names its schema, and a restore migrates to it",
	"source_sessions":        "sessions end with a restore: sources log in again with their receipts",
	"desk_sessions":          "sessions end with a restore: users log in again",
	"webauthn_logins":        "a login in progress ends with a restore",
	"webauthn_registrations": "a security-key registration in progress ends with a restore",
	"activations":            "an invitation being accepted starts again; the invitation itself is kept",
	"throttles":              "minutes of login and receipt throttling: a restored installation starts unthrottled",
	"budgets":                "a minute's count of writes and a recount of stored bytes, recounted after a restore",
	"cache_changes":          "a counter that tells servers to drop their caches; a restore starts with none",
}

type backupTable struct {
	name  string
	order string // the primary key's columns
	where string // the rows kept, when not all are
}

// Column kinds in a backup: every column Tipline's schema has is one of these.
const (
	KindText  = "text"
	KindInt   = "int"
	KindBytes = "bytes"
)

// Column is one column of a backed-up table.
type Column struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Table describes one table of a backup.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	Rows    int64    `json:"rows"`
}

// Snapshot is one consistent view of the whole database, read while the
// server goes on writing: on SQLite one read transaction (WAL lets the
// writer commit meanwhile; it only keeps the WAL from being restarted until
// the snapshot ends), on PostgreSQL one SERIALIZABLE READ ONLY DEFERRABLE
// transaction (it takes no lock that a writer waits for). Close it.
type Snapshot struct {
	s  *Store
	tx *sql.Tx
}

// Snapshot starts a snapshot.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("failed to start a snapshot: %w", err)
	}
	if s.postgres {
		if _, err := tx.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE`); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("failed to start a snapshot: %w", err)
		}
	}
	sn := &Snapshot{s: s, tx: tx}
	// SQLite's snapshot begins with the transaction's first read: make it now.
	if _, err := sn.Schema(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return sn, nil
}

// Close ends the snapshot.
func (sn *Snapshot) Close() error { return sn.tx.Rollback() }

// Schema returns the snapshot's schema version, its latest migration.
func (sn *Snapshot) Schema(ctx context.Context) (string, error) {
	var v string
	if err := sn.tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return "", fmt.Errorf("failed to read the schema's version: %w", err)
	}
	return v, nil
}

// Tables describes every table a backup holds, in the order to restore
// them, with its columns and how many rows the snapshot has.
func (sn *Snapshot) Tables(ctx context.Context) ([]Table, error) {
	var out []Table
	for _, bt := range backupTables {
		t := Table{Name: bt.name}
		rows, err := sn.tx.QueryContext(ctx, `SELECT * FROM `+bt.name+` WHERE 1 = 0`)
		if err != nil {
			return nil, fmt.Errorf("failed to read table %s: %w", bt.name, err)
		}
		types, err := rows.ColumnTypes()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("failed to read table %s: %w", bt.name, err)
		}
		for _, ct := range types {
			kind, err := columnKind(ct.DatabaseTypeName())
			if err != nil {
				return nil, fmt.Errorf("column %s.%s: %w", bt.name, ct.Name(), err)
			}
			t.Columns = append(t.Columns, Column{Name: ct.Name(), Kind: kind})
		}
		if err := sn.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+bt.name+bt.whereClause()).Scan(&t.Rows); err != nil {
			return nil, fmt.Errorf("failed to count table %s: %w", bt.name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func (bt backupTable) whereClause() string {
	if bt.where == "" {
		return ""
	}
	return " WHERE " + bt.where
}

// columnKind maps a declared column type (SQLite's or PostgreSQL's name
// for it) to a backup's kind.
func columnKind(declared string) (string, error) {
	switch d := strings.ToUpper(declared); {
	case d == "TEXT" || strings.HasPrefix(d, "VARCHAR"):
		return KindText, nil
	case strings.Contains(d, "INT"):
		return KindInt, nil
	case d == "BLOB" || d == "BYTEA":
		return KindBytes, nil
	}
	return "", fmt.Errorf("type %q is not one a backup holds (text, integer, blob)", declared)
}

// Rows streams the snapshot's rows of t, in primary-key order, to fn as
// values ready for JSON: a string, an int64, a []byte as base64 text, or nil.
// The slice is reused between calls.
func (sn *Snapshot) Rows(ctx context.Context, t Table, fn func(row []any) error) error {
	bt, ok := backupTableNamed(t.Name)
	if !ok {
		return fmt.Errorf("table %s is not backed up", t.Name)
	}
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	rows, err := sn.tx.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+t.Name+bt.whereClause()+` ORDER BY `+bt.order)
	if err != nil {
		return fmt.Errorf("failed to read table %s: %w", t.Name, err)
	}
	defer rows.Close()
	raw := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	out := make([]any, len(names))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("failed to read table %s: %w", t.Name, err)
		}
		for i, c := range t.Columns {
			if out[i], err = backupValue(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("table %s, column %s: %w", t.Name, c.Name, err)
			}
		}
		if err := fn(out); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("failed to read table %s: %w", t.Name, err)
	}
	return nil
}

// backupValue turns a scanned value into its backup form. SQLite types
// values, not columns: a blob column may hold text, and the reverse.
func backupValue(kind string, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int64:
		if kind == KindInt {
			return x, nil
		}
	case string:
		switch kind {
		case KindText:
			if utf8.ValidString(x) {
				return x, nil
			}
		case KindBytes:
			return base64.StdEncoding.EncodeToString([]byte(x)), nil
		}
	case []byte:
		switch kind {
		case KindBytes:
			return base64.StdEncoding.EncodeToString(x), nil
		case KindText:
			if utf8.Valid(x) {
				return string(x), nil
			}
		}
	}
	return nil, fmt.Errorf("a %T value in a %s column", v, kind)
}

func backupTableNamed(name string) (backupTable, bool) {
	for _, bt := range backupTables {
		if bt.name == name {
			return bt, true
		}
	}
	return backupTable{}, false
}

// AuditHead returns the snapshot's last audit entry: its seq and hash (0 and
// "" for an empty log).
func (sn *Snapshot) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := sn.tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("failed to read the audit log's head: %w", err)
	}
	return seq, hash, nil
}

// BlobFile is one blob file of the snapshot, open for reading.
type BlobFile struct {
	ID    string
	TipID string
	Size  int64
	File  *os.File
}

// BlobFiles calls fn with each blob file the snapshot's tips hold (SQLite
// installations keep uploaded files as files: see BlobDir), in id order,
// open, and closes it after. A file that is gone because its tip was shredded
// after the snapshot began is passed to gone instead: the snapshot still
// holds its row, the disk no longer holds its bytes. A file missing while
// its row still exists is damage, and an error.
func (sn *Snapshot) BlobFiles(ctx context.Context, fn func(BlobFile) error, gone func(BlobFile) error) error {
	if sn.s.files == nil {
		return nil
	}
	rows, err := sn.tx.QueryContext(ctx, `SELECT id, tip_id, size FROM blobs WHERE in_file = 1 AND tip_id IS NOT NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("failed to list blob files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b BlobFile
		if err := rows.Scan(&b.ID, &b.TipID, &b.Size); err != nil {
			return fmt.Errorf("failed to list blob files: %w", err)
		}
		f, err := os.Open(sn.s.files.path(b.ID))
		if errors.Is(err, os.ErrNotExist) {
			if err := sn.s.blobStillExists(ctx, b.ID); err != nil {
				return err
			}
			if err := gone(b); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("failed to open blob file: %w", err)
		}
		b.File = f
		err = fn(b)
		f.Close()
		if err != nil {
			return err
		}
	}
	return rows.Err()
}

// blobStillExists is nil when a blob's row is gone from the database as it
// is now (its tip shredded: ShredTip commits, then deletes the files) and an
// error naming the damage when the row is still there.
func (s *Store) blobStillExists(ctx context.Context, id string) error {
	var n int
	if err := s.read.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM blobs WHERE id = ?`), id).Scan(&n); err != nil {
		return fmt.Errorf("failed to check blob %s: %w", id, err)
	}
	if n > 0 {
		return fmt.Errorf("blob file %s is missing from %s though the database holds it: the installation is damaged", id, s.files.dir)
	}
	return nil
}

// CopyTo copies exactly b.Size bytes of b to w.
func (b BlobFile) CopyTo(w io.Writer) error {
	n, err := io.Copy(w, io.LimitReader(b.File, b.Size))
	if err == nil && n != b.Size {
		err = fmt.Errorf("blob file %s holds %d bytes, its row says %d", b.ID, n, b.Size)
	}
	return err
}

// SealedBytes returns how many blobs the snapshot's tips hold, their sealed
// size (reports, files, messages, notes) and how many are blob files.
func (sn *Snapshot) SealedBytes(ctx context.Context) (blobs, bytes, files int64, err error) {
	err = sn.tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(in_file), 0) FROM blobs WHERE tip_id IS NOT NULL`).Scan(&blobs, &bytes, &files)
	if err != nil {
		err = fmt.Errorf("failed to count blobs: %w", err)
	}
	return blobs, bytes, files, err
}
