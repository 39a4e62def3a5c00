package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tipline/internal/tip"
)

// QueueFilter selects and orders the desk's queue. Only tips whose key is
// wrapped to Holder are listed: a user sees exactly what they can open.
type QueueFilter struct {
	Holder   string
	Status   string
	OfferID  string
	Category string
	Assignee string
	Label    string
	HasHits  string // "yes", "no" or ""
	Sort     string // "time" (newest first, the default) or "priority"
	Page     int    // from 1
	PageSize int
}

// DefaultPageSize is the queue's page size.
const DefaultPageSize = 50

// CountLimit is how far the queue counts its matches: a total above it is
// reported as CountLimit+1, "more than CountLimit".
const CountLimit = 1000

// Queue returns one page of the queue and the number of tips that match, up
// to CountLimit+1.
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]tip.Tip, int, error) {
	if f.Holder == "" {
		return nil, 0, errors.New("queue: no holder")
	}
	// EXISTS, not IN: with IN, SQLite materialises every tip the holder can
	// open and sorts them all before taking a page; with EXISTS it walks the
	// newest tips in index order and stops after one page.
	where := []string{"EXISTS (SELECT 1 FROM tip_keys k WHERE k.tip_id = t.id AND k.holder = ?)"}
	args := []any{f.Holder}
	for col, v := range map[string]string{"t.status": f.Status, "t.offer_id": f.OfferID, "t.category": f.Category, "t.assignee": f.Assignee} {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	if f.Label != "" {
		where = append(where, "t.id IN (SELECT tip_id FROM tip_labels WHERE label = ?)")
		args = append(args, f.Label)
	}
	switch f.HasHits {
	case "yes":
		where = append(where, "t.has_hits = 1")
	case "no":
		where = append(where, "t.has_hits = 0")
	}
	cond := strings.Join(where, " AND ")
	// Counting every match costs as much as the page itself many times
	// over; the queue shows "more than 1,000" beyond CountLimit.
	var total int
	if err := s.read.QueryRowContext(ctx, s.rebind(fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM tips t WHERE %s LIMIT %d) matches`, cond, CountLimit+1)), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("failed to count the queue: %w", err)
	}
	order := "t.received_at DESC, t.id"
	if f.Sort == "priority" {
		order = "t.priority DESC, t.received_at DESC, t.id"
	}
	size := f.PageSize
	if size <= 0 || size > 500 {
		size = DefaultPageSize
	}
	page := max(f.Page, 1)
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT `+tipColumns+` FROM tips t WHERE `+cond+` ORDER BY `+order+
		fmt.Sprintf(` LIMIT %d OFFSET %d`, size, (page-1)*size)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("failed to list the queue: %w", err)
	}
	defer rows.Close()
	var out []tip.Tip
	for rows.Next() {
		t, _, err := scanTip(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// Statuses lists the statuses in order.
func (s *Store) Statuses(ctx context.Context) ([]tip.StatusDef, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, public_state, position, builtin FROM statuses ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("failed to list statuses: %w", err)
	}
	defer rows.Close()
	var out []tip.StatusDef
	for rows.Next() {
		var d tip.StatusDef
		var code, public string
		var builtin int
		if err := rows.Scan(&code, &public, &d.Position, &builtin); err != nil {
			return nil, err
		}
		d.Code, d.Public, d.Builtin = tip.Status(code), tip.PublicState(public), builtin == 1
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetStatus changes a tip's status to one of the defined statuses, and
// records when it was closed.
func (s *Store) SetStatus(ctx context.Context, tipID string, status tip.Status) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var public string
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT public_state FROM statuses WHERE code = ?`), string(status)).Scan(&public)
		if errors.Is(err, sql.ErrNoRows) {
			return tip.Errorf(tip.CodeInvalid, "unknown status %q", status)
		}
		if err != nil {
			return err
		}
		closed := int64(0)
		if tip.PublicState(public) == tip.PublicClosed {
			closed = time.Now().Unix()
		}
		res, err := s.exec(ctx, tx, `UPDATE tips SET status = ?, closed_at = ? WHERE id = ?`, string(status), closed, tipID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeNotFound, "no such report")
		}
		return nil
	})
}

// PublicState returns what the source of a tip in status st is told.
func (s *Store) PublicState(ctx context.Context, st tip.Status) (tip.PublicState, error) {
	var public string
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT public_state FROM statuses WHERE code = ?`), string(st)).Scan(&public)
	if errors.Is(err, sql.ErrNoRows) {
		return st.Public(), nil
	}
	return tip.PublicState(public), err
}

// Assign sets a tip's assignee ("" for nobody) and, when priority is not
// nil, its priority, in one write.
func (s *Store) Assign(ctx context.Context, tipID, userID string, priority *int) error {
	if priority == nil {
		_, err := s.writeExec(ctx, `UPDATE tips SET assignee = ? WHERE id = ?`, nullString(userID), tipID)
		return err
	}
	_, err := s.writeExec(ctx, `UPDATE tips SET assignee = ?, priority = ? WHERE id = ?`, nullString(userID), *priority, tipID)
	return err
}

// SetLabels replaces a tip's labels and puts it on or off legal hold, which
// exempts it from retention.
func (s *Store) SetLabels(ctx context.Context, tipID string, labels []string, legalHold bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE tips SET legal_hold = ? WHERE id = ?`, boolInt(legalHold), tipID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM tip_labels WHERE tip_id = ?`, tipID); err != nil {
			return err
		}
		for _, l := range labels {
			if _, err := s.exec(ctx, tx, `INSERT INTO tip_labels (tip_id, label) VALUES (?, ?)`, tipID, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// Labels returns a tip's labels.
func (s *Store) Labels(ctx context.Context, tipID string) ([]string, error) {
	return s.queryStrings(ctx, `SELECT label FROM tip_labels WHERE tip_id = ? ORDER BY label`, tipID)
}

// Note is an analyst's internal note; its body is sealed in BodyBlob.
type Note struct {
	ID        string
	TipID     string
	Author    string
	CreatedAt time.Time
	BodyBlob  string
}

// AddNote stores a sealed note.
func (s *Store) AddNote(ctx context.Context, n *Note, sealedBody []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insertBlob(ctx, tx, n.TipID, sealedBody)
		if err != nil {
			return err
		}
		n.BodyBlob = id
		_, err = s.exec(ctx, tx, `INSERT INTO notes (id, tip_id, author, created_at, body_blob) VALUES (?, ?, ?, ?, ?)`,
			n.ID, n.TipID, n.Author, n.CreatedAt.Unix(), id)
		return err
	})
}

// Notes lists a tip's notes, oldest first.
func (s *Store) Notes(ctx context.Context, tipID string) ([]Note, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT id, author, created_at, body_blob FROM notes WHERE tip_id = ? ORDER BY created_at, id`), tipID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n := Note{TipID: tipID}
		var created int64
		if err := rows.Scan(&n.ID, &n.Author, &created, &n.BodyBlob); err != nil {
			return nil, err
		}
		n.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddStatus adds a status that reads to the source as public.
func (s *Store) AddStatus(ctx context.Context, code tip.Status, public tip.PublicState) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var next int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM statuses`).Scan(&next); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO statuses (code, public_state, position) VALUES (?, ?, ?)`, string(code), string(public), next)
		if err != nil && isUniqueViolation(err) {
			return tip.Errorf(tip.CodeConflict, "the status %q exists already", code)
		}
		return err
	})
}
