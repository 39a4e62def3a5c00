package backup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"time"

	"tipline/internal/install"
	"tipline/internal/onion"
	"tipline/internal/store"
)

// Format and Version name the format of what is inside the sealed file.
const (
	Format  = "tipline-backup"
	Version = 1
)

// Part names.
const (
	manifestName = "manifest.json"
	endName      = "end.json"
	dataPrefix   = "data/"
	tablePrefix  = "tables/"
	blobPrefix   = "blobs/"
)

// dataFiles are the files of the data folder a backup holds, when present.
// The recovery identity is not one of them, ever.
var dataFiles = []string{install.KeyFile, onion.KeyFile}

// Manifest is the first part: what the backup holds.
type Manifest struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	Created   time.Time     `json:"created"`
	Schema    string        `json:"schema"`   // the database's latest migration
	Database  string        `json:"database"` // "sqlite" or "postgres": where it was made
	DataFiles []string      `json:"data_files"`
	Tables    []store.Table `json:"tables"` // in the order to restore them
	Blobs     int64         `json:"blobs"`  // sealed blobs: reports, files, messages, notes
	Sealed    int64         `json:"sealed_bytes"`
	BlobFiles int64         `json:"blob_files"` // of them, stored as blob files (SQLite)
	Audit     AuditHead     `json:"audit"`
}

// AuditHead is the audit log's last entry in the backup.
type AuditHead struct {
	Entries int64  `json:"entries"`
	Head    string `json:"head"`
}

// End is the last part: every part before it, in order, and what was left
// out while the backup was made.
type End struct {
	Parts      []Part `json:"parts"`
	TotalBytes int64  `json:"total_bytes"`
	// ShreddedTips were shredded after the snapshot was taken and before
	// their blob files were copied: a restore shreds them too.
	ShreddedTips []string `json:"shredded_tips"`
}

// Part is one tar entry.
type Part struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Summary says what a backup holds, for the operator.
type Summary struct {
	Manifest
	End
	Reports int64 // tips
	Users   int64
}

func summarise(m Manifest, e End) Summary {
	s := Summary{Manifest: m, End: e}
	for _, t := range m.Tables {
		switch t.Name {
		case "tips":
			s.Reports = t.Rows
		case "users":
			s.Users = t.Rows
		}
	}
	s.Reports -= int64(len(e.ShreddedTips))
	return s
}

// hashing counts and hashes what passes through it.
type hashing struct {
	h hash.Hash
	n int64
}

func newHashing() *hashing { return &hashing{h: sha256.New()} }

func (h *hashing) Write(p []byte) (int, error) {
	h.h.Write(p)
	h.n += int64(len(p))
	return len(p), nil
}

func (h *hashing) part(name string) Part {
	return Part{Name: name, Bytes: h.n, SHA256: hex.EncodeToString(h.h.Sum(nil))}
}

func tablePart(table string, n int) string {
	return fmt.Sprintf("%s%s/%06d.jsonl", tablePrefix, table, n)
}
