// Package store keeps Tipline's data in SQLite (the embedded default, a file
// in the data folder) or PostgreSQL (given a DSN), through one portable schema
// and one set of queries.
//
// The store holds only ciphertext for anything a source or analyst wrote:
// sealed blobs cut into chunk rows (on SQLite, uploaded files are sealed blob
// files in the data folder instead: see BlobDir), wrapped keys, and the few
// fields the desk sorts on. It never sees a key that opens them.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DBFile is the SQLite database's name in the data folder.
const DBFile = "tipline.db"

// Store is the database. Safe for concurrent use.
type Store struct {
	read     *sql.DB
	write    *sql.DB // SQLite: one connection, so writers queue in Go, not in busy retries
	postgres bool
	stmts    sync.Map // query -> *sql.Stmt, see queryRow
	offers   offerCache
	recovery recoveryCache
	files    *blobFiles      // SQLite: uploaded files as blob files in the data folder
	scrubs   scrubber        // SQLite: takes deleted secrets off the disk, see forgetTx
	pgConfig *pgx.ConnConfig // PostgreSQL: for the connection that listens for changes
	patience *patience       // PostgreSQL: bounds every call, see DefaultPatience
	changes  cacheChanges
	// undeleted are staging blobs to delete at the next sweep: see DeleteStaged.
	undeleted undeletedBlobs
}

// Open opens (and migrates) the database: PostgreSQL when dsn is set, else
// SQLite in dataDir. It refuses a database whose schema is newer than this
// binary's (see SchemaNewerError).
func Open(ctx context.Context, dataDir, dsn string) (*Store, error) {
	s, err := OpenUnmigrated(dataDir, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenUnmigrated opens the database as it is, for commands that must not
// change its schema: "tipline migrate --status", a backup.
func OpenUnmigrated(dataDir, dsn string) (*Store, error) {
	var s *Store
	var err error
	if dsn != "" {
		s, err = openPostgres(dsn)
	} else {
		s, err = openSQLite(filepath.Join(dataDir, DBFile))
		if err == nil {
			if s.files, err = openBlobFiles(dataDir); err != nil {
				s.Close()
			}
		}
	}
	if err != nil {
		return nil, err
	}
	s.offers.announce = s.announceChange
	return s, nil
}

func openSQLite(path string) (*Store, error) {
	// SQLite creates the database with the process's umask (often 0644),
	// and its -wal and -shm files with the database's mode: made first, the
	// file is readable by Tipline's user alone, and so are the others.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	f.Close()
	// WAL lets readers work while the one writer commits; synchronous=FULL
	// fsyncs every commit, so a receipt shown is a tip that survives power
	// loss; foreign keys keep chunks from outliving their blob; secure_delete
	// zeroes what a deletion frees, which the scrub after a deletion of
	// secrets then copies over the old pages (see forgetTx).
	dsn := func(busyTimeout string) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", busyTimeout, "secure_delete(1)"} {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode()
	}
	read, err := sql.Open("sqlite", dsn("busy_timeout(30000)"))
	if err != nil {
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	// The writer keeps up to 64 MiB of pages (SQLite's default is 2 MiB):
	// each tip inserts into a dozen indexes keyed by random ids, and a
	// growing database re-read their pages on every commit. Checkpoints
	// come every 32 MiB of WAL rather than every 4 MiB, so the pages every
	// commit touches (index tails, interior nodes) are copied to the
	// database once per checkpoint, not once per few commits.
	write, err := sql.Open("sqlite", dsn("busy_timeout(30000)")+"&_txlock=immediate&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(8192)")
	if err != nil {
		read.Close()
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	// The scrubber's checkpoints run beside the writer, not on its one
	// connection, and give up after a few milliseconds (see scrubber).
	scrub, err := sql.Open("sqlite", dsn(scrubBusyTimeout))
	if err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	scrub.SetMaxOpenConns(1)
	// Keep every reader open: with database/sql's default of two idle
	// connections, a busy source site closed and reopened connections (and
	// re-ran the pragmas) on nearly every query.
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	if err := write.Ping(); err != nil {
		read.Close()
		write.Close()
		scrub.Close()
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	return &Store{read: read, write: write, scrubs: scrubber{db: scrub}}, nil
}

// connectTimeout bounds each new connection to PostgreSQL unless the DSN sets
// connect_timeout: while the server cannot be reached, a request must be told
// so within seconds rather than wait for the operating system to give up.
const connectTimeout = 5 * time.Second

func openPostgres(dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("failed to open PostgreSQL (check --db): %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	bound := &patience{}
	bound.Store(int64(DefaultPatience))
	db := sql.OpenDB(patientConnector{Connector: stdlib.GetConnector(*cfg), patience: bound})
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("failed to connect to PostgreSQL (check --db): %w", err)
	}
	return &Store{read: db, write: db, postgres: true, pgConfig: cfg, patience: bound}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.read.Close()
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	if s.scrubs.db != nil {
		err = errors.Join(err, s.scrubs.db.Close())
	}
	return err
}

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.postgres }

// placeholders returns n comma-separated ? placeholders, for IN lists and
// multi-row VALUES.
func placeholders(n int) string { return strings.Repeat("?, ", n-1) + "?" }

// rebind rewrites ? placeholders to PostgreSQL's $n.
func (s *Store) rebind(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *Store) exec(ctx context.Context, ex execer, query string, args ...any) (sql.Result, error) {
	res, err := ex.ExecContext(ctx, s.rebind(query), args...)
	return res, noRoom(err)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// inTx runs fn in one write transaction, committed if fn returns nil, with
// the audit entry due under ctx (see WithAudit) appended last. A full disk
// fails it with an error wrapping disk.ErrFull, and nothing of it is kept.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return noRoom(fmt.Errorf("failed to begin transaction: %w", err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return noRoom(err)
	}
	due := auditDue(ctx)
	if due != nil {
		for _, seal := range due.seals {
			if _, err := s.appendAuditTx(ctx, tx, seal); err != nil {
				tx.Rollback()
				return noRoom(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return noRoom(fmt.Errorf("failed to commit: %w", err))
	}
	if due != nil {
		due.written.Store(true)
	}
	return nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)`

// Migrate applies the embedded migrations not yet applied, each in its own
// transaction, and returns them. It refuses a database that has migrations
// this binary does not know (SchemaNewerError), and changes nothing then.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	status, err := s.SchemaStatus(ctx)
	if err != nil {
		return nil, err
	}
	if err := status.newer(); err != nil {
		return nil, err
	}
	if _, err := s.write.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("failed to prepare migrations: %w", err)
	}
	var applied []string
	for _, version := range status.Pending {
		ran := false
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			ran, err = s.applyMigration(ctx, tx, version)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("failed to migrate the database: %w", err)
		}
		if ran {
			applied = append(applied, version)
		}
	}
	return applied, nil
}

// applyMigration applies one migration inside tx, unless another process
// already has (false).
func (s *Store) applyMigration(ctx context.Context, tx *sql.Tx, version string) (bool, error) {
	ddl, err := s.migrationDDL(version)
	if err != nil {
		return false, err
	}
	var done int
	if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&done); err != nil {
		return false, err
	}
	if done > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return false, fmt.Errorf("migration %s: %w", version, err)
	}
	if _, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version) VALUES (?)`), version); err != nil {
		return false, err
	}
	return true, nil
}

// migrationDDL returns a migration's statements in this database's dialect.
func (s *Store) migrationDDL(version string) (string, error) {
	body, err := migrations.ReadFile("migrations/" + version + ".sql")
	if err != nil {
		return "", err
	}
	ddl := string(body)
	if s.postgres {
		ddl = strings.ReplaceAll(ddl, " BLOB ", " BYTEA ")
	}
	return ddl, nil
}
