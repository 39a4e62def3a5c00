package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"tipline/internal/screen"
	"tipline/internal/tip"
)

// ListVersion describes one imported version of one source's list.
type ListVersion struct {
	ID     string
	Source screen.Source
	Format string // as listfmt.Detect names it
	SHA256 string
	// Published is the list's own date, or ImportedAt when its format
	// carries none (Dated false): the OFAC CSV set.
	Published  time.Time
	Dated      bool
	ImportedAt time.Time
	Counts     map[screen.Kind]int
	Current    bool
	// MaxEntry is the highest numeric entry id: how an undated list's age
	// is told (OFAC numbers entries as it designates them).
	MaxEntry int64
}

// ErrListUnchanged is returned, with the version in force, for a file
// identical to it: no new version is made and nothing is flagged.
var ErrListUnchanged = errors.New("the same file as the version in force")

// OlderListError refuses a list older than the one in force.
type OlderListError struct {
	Source       screen.Source
	Given, Now   time.Time // publication dates, for dated lists
	ByEntries    bool      // told by entry numbers: the list carries no date
	GivenMax, In int64
}

func (e *OlderListError) Error() string {
	if e.ByEntries {
		return fmt.Sprintf("the %s list given is older than the one in force (its newest entry is number %d, the one in force has %d): not imported",
			e.Source, e.GivenMax, e.In)
	}
	return fmt.Sprintf("the %s list of %s is older than the one in force (%s): not imported",
		e.Source, e.Given.Format("2006-01-02"), e.Now.Format("2006-01-02"))
}

// ErrNoLists is returned by CurrentLists when no list has been imported.
var ErrNoLists = errors.New("no sanctions lists imported")

// ImportList stores l as a new version of its source and puts it in force,
// in one transaction: a reader sees either the old version or the new one.
// The list is validated first, so a parser bug cannot replace a good list
// with a broken one.
//
// A file identical to the version in force makes no new version
// (ErrListUnchanged); a list older than it — by publication date, or, for a
// list without one, by its highest entry number — is refused
// (*OlderListError) unless force is set.
func (s *Store) ImportList(ctx context.Context, l *screen.List, format string, now time.Time, force bool) (ListVersion, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	if err := l.Validate(); err != nil {
		return ListVersion{}, fmt.Errorf("refusing the %s list: %w", l.Source, err)
	}
	blob, err := encodeEntries(l.Entries)
	if err != nil {
		return ListVersion{}, err
	}
	v := ListVersion{
		ID: tip.NewID(), Source: l.Source, Format: format, SHA256: l.SHA256,
		Published: l.Published, Dated: !l.Published.IsZero(), ImportedAt: now.UTC().Truncate(time.Second),
		Counts: l.Counts(), Current: true, MaxEntry: maxEntryNumber(l),
	}
	if !v.Dated {
		v.Published = v.ImportedAt
	}
	c := v.Counts
	var unchanged ListVersion
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := scanVersion(tx.QueryRowContext(ctx, s.rebind(`SELECT `+versionColumns+` FROM list_versions v
			JOIN list_current c ON c.version_id = v.id WHERE v.source = ?`), string(v.Source)))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("failed to read the version in force: %w", err)
		case cur.SHA256 == v.SHA256:
			unchanged = cur
			return ErrListUnchanged
		case force:
		case v.Dated && cur.Dated && v.Published.Before(cur.Published):
			return &OlderListError{Source: v.Source, Given: v.Published, Now: cur.Published}
		case !v.Dated && !cur.Dated && cur.MaxEntry > 0 && v.MaxEntry < cur.MaxEntry:
			return &OlderListError{Source: v.Source, ByEntries: true, GivenMax: v.MaxEntry, In: cur.MaxEntry}
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO list_versions (id, source, format, sha256, published_at, dated, imported_at, persons, orgs, vessels, wallets, entries, max_entry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, string(v.Source), v.Format, v.SHA256, v.Published.Unix(), boolInt(v.Dated), v.ImportedAt.Unix(),
			c[screen.KindPerson], c[screen.KindOrganization], c[screen.KindVessel], c[screen.KindWallet], blob, v.MaxEntry); err != nil {
			return fmt.Errorf("failed to store the list version: %w", err)
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO list_current (source, version_id) VALUES (?, ?)
			ON CONFLICT (source) DO UPDATE SET version_id = excluded.version_id`, string(v.Source), v.ID); err != nil {
			return fmt.Errorf("failed to put the list version in force: %w", err)
		}
		return nil
	})
	if errors.Is(err, ErrListUnchanged) {
		return unchanged, err
	}
	if err != nil {
		return ListVersion{}, err
	}
	s.changed() // every server screens with the new version at once
	return v, nil
}

// maxEntryNumber is the highest entry id that is a number (OFAC's ent_num),
// or 0 when none is.
func maxEntryNumber(l *screen.List) int64 {
	var top int64
	for i := range l.Entries {
		if n, err := strconv.ParseInt(l.Entries[i].ID, 10, 64); err == nil && n > top {
			top = n
		}
	}
	return top
}

const versionColumns = `v.id, v.source, v.format, v.sha256, v.published_at, v.dated, v.imported_at, v.persons, v.orgs, v.vessels, v.wallets,
	CASE WHEN c.version_id IS NULL THEN 0 ELSE 1 END, v.max_entry`

func scanVersion(sc interface{ Scan(...any) error }, extra ...any) (ListVersion, error) {
	var v ListVersion
	var pub, imp int64
	var dated, cur int
	var p, o, vs, w int
	dest := append([]any{&v.ID, &v.Source, &v.Format, &v.SHA256, &pub, &dated, &imp, &p, &o, &vs, &w, &cur, &v.MaxEntry}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return v, err
	}
	v.Published, v.ImportedAt = time.Unix(pub, 0).UTC(), time.Unix(imp, 0).UTC()
	v.Dated, v.Current = dated == 1, cur == 1
	v.Counts = map[screen.Kind]int{screen.KindPerson: p, screen.KindOrganization: o, screen.KindVessel: vs, screen.KindWallet: w}
	return v, nil
}

// ListVersions returns every stored version, by source, newest first.
func (s *Store) ListVersions(ctx context.Context) ([]ListVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+versionColumns+` FROM list_versions v
		LEFT JOIN list_current c ON c.version_id = v.id ORDER BY v.source, v.imported_at DESC, v.id`)
	if err != nil {
		return nil, fmt.Errorf("failed to list list versions: %w", err)
	}
	defer rows.Close()
	var out []ListVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("failed to read a list version: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CurrentLists loads the version in force of every source, each as a
// *screen.List whose Published is the version's date (its import time when
// the list has none), ready for screen.NewIndex. It returns ErrNoLists when
// nothing has been imported.
func (s *Store) CurrentLists(ctx context.Context) ([]*screen.List, []ListVersion, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	rows, err := s.read.QueryContext(ctx, `SELECT `+versionColumns+`, v.entries FROM list_versions v
		JOIN list_current c ON c.version_id = v.id ORDER BY v.source`)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to load the current lists: %w", err)
	}
	defer rows.Close()
	var lists []*screen.List
	var versions []ListVersion
	for rows.Next() {
		var blob []byte
		v, err := scanVersion(rows, &blob)
		if err != nil {
			return nil, nil, fmt.Errorf("failed to read a list version: %w", err)
		}
		l, err := decodeList(v, blob)
		if err != nil {
			return nil, nil, err
		}
		lists, versions = append(lists, l), append(versions, v)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(lists) == 0 {
		return nil, nil, ErrNoLists
	}
	return lists, versions, nil
}

// LoadListVersion loads one stored version by id.
func (s *Store) LoadListVersion(ctx context.Context, id string) (*screen.List, ListVersion, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	row := s.read.QueryRowContext(ctx, s.rebind(`SELECT `+versionColumns+`, v.entries FROM list_versions v
		LEFT JOIN list_current c ON c.version_id = v.id WHERE v.id = ?`), id)
	var blob []byte
	v, err := scanVersion(row, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, v, fmt.Errorf("no list version %q", id)
	}
	if err != nil {
		return nil, v, fmt.Errorf("failed to load list version %s: %w", id, err)
	}
	l, err := decodeList(v, blob)
	return l, v, err
}

func encodeEntries(entries []screen.Entry) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(entries); err != nil {
		return nil, fmt.Errorf("failed to encode list entries: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("failed to compress list entries: %w", err)
	}
	return buf.Bytes(), nil
}

func decodeList(v ListVersion, blob []byte) (*screen.List, error) {
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, fmt.Errorf("list version %s is damaged: %w", v.ID, err)
	}
	l := &screen.List{Source: v.Source, Published: v.Published, SHA256: v.SHA256}
	if err := json.NewDecoder(zr).Decode(&l.Entries); err != nil {
		return nil, fmt.Errorf("list version %s is damaged: %w", v.ID, err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("list version %s is damaged: %w", v.ID, err)
	}
	return l, nil
}

// ListDiff is what changed between two versions of one source.
type ListDiff struct {
	Old, New                ListVersion
	Added, Removed, Changed []string // entry ids, sorted
}

// DiffListVersions compares two versions of a source, given by id. With
// empty ids it compares the version in force with the one before it.
func (s *Store) DiffListVersions(ctx context.Context, source screen.Source, oldID, newID string) (ListDiff, error) {
	ctx = WithoutDeadline(ctx) // its time grows with the data: see DefaultPatience
	if oldID == "" || newID == "" {
		vs, err := s.ListVersions(ctx)
		if err != nil {
			return ListDiff{}, err
		}
		var ofSource []ListVersion
		for _, v := range vs {
			if v.Source == source {
				ofSource = append(ofSource, v)
			}
		}
		if len(ofSource) < 2 {
			return ListDiff{}, fmt.Errorf("source %q has %d version(s): nothing to compare", source, len(ofSource))
		}
		cur := slices.IndexFunc(ofSource, func(v ListVersion) bool { return v.Current })
		if cur < 0 || cur+1 >= len(ofSource) {
			cur = 0
		}
		newID, oldID = ofSource[cur].ID, ofSource[cur+1].ID
	}
	oldL, oldV, err := s.LoadListVersion(ctx, oldID)
	if err != nil {
		return ListDiff{}, err
	}
	newL, newV, err := s.LoadListVersion(ctx, newID)
	if err != nil {
		return ListDiff{}, err
	}
	if oldV.Source != source || newV.Source != source {
		return ListDiff{}, fmt.Errorf("versions %s and %s are not both of source %q", oldID, newID, source)
	}
	d := ListDiff{Old: oldV, New: newV, Added: []string{}, Removed: []string{}, Changed: []string{}}
	before := map[string][]byte{}
	for _, e := range oldL.Entries {
		before[e.ID], _ = json.Marshal(e)
	}
	for _, e := range newL.Entries {
		b, _ := json.Marshal(e)
		old, ok := before[e.ID]
		switch {
		case !ok:
			d.Added = append(d.Added, e.ID)
		case !bytes.Equal(old, b):
			d.Changed = append(d.Changed, e.ID)
		}
		delete(before, e.ID)
	}
	for id := range before {
		d.Removed = append(d.Removed, id)
	}
	slices.Sort(d.Added)
	slices.Sort(d.Removed)
	slices.Sort(d.Changed)
	return d, nil
}
