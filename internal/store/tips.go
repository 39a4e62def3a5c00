package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"tipline/internal/metrics"
	"tipline/internal/tip"
)

// NewTip is everything a tip is committed with, all at once.
type NewTip struct {
	Tip           tip.Tip
	ReceiptLookup string
	WrappedKeys   map[string][]byte // holder -> tip key wrapped to them
	Content       []byte            // the sealed report (with its first screening)
	StagedBlobs   []string          // the tip's files, streamed in before commit
	Tokens        []string          // blind-index tokens of what it names
	// RecoveryRecipient is the recipient WrappedKeys["recovery"] is wrapped
	// to, which the commit checks against a rotation of the recovery key
	// (see ErrRecoveryRotated); intake always sets it.
	RecoveryRecipient string
}

// CommitTips commits tips in one short transaction: each with its wrapped
// keys, its content and its files, or none of them. On SQLite with
// synchronous=FULL, a nil return means the tips are on disk.
//
// The tips of a batch go in together, a few multi-row statements for the
// lot: the intake's group commit hands over dozens at a time, and on
// PostgreSQL every statement is a round trip that the one committer waits
// for.
func (s *Store) CommitTips(ctx context.Context, tips []*NewTip) error {
	for _, n := range tips {
		if len(n.WrappedKeys) == 0 {
			return errors.New("refusing to store a tip whose key is wrapped to no one")
		}
	}
	defer metrics.ObserveCommit(time.Now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockWraps(ctx, tx, false); err != nil {
			return err
		}
		receiving, err := s.receiving(ctx, tx, tips)
		if err != nil {
			return fmt.Errorf("failed to store tips: %w", err)
		}
		pending, err := s.checkRecoveryCopies(ctx, tx, tips)
		if err != nil {
			return err
		}
		var blobs, chunks, tipRows, keys, tokens [][]any
		for _, n := range tips {
			t := n.Tip
			// The tip row references its content blob, so the blob goes
			// first; content over one chunk (a report with long lists) is
			// cut like any other blob.
			var contentID string
			if len(n.Content) <= ChunkSize {
				contentID = tip.NewID()
				blobs = append(blobs, []any{contentID, t.ID, len(n.Content)})
				chunks = append(chunks, []any{contentID, 0, n.Content})
			} else {
				var err error
				if contentID, err = s.insertBlob(ctx, tx, t.ID, n.Content); err != nil {
					return fmt.Errorf("failed to store tip content: %w", err)
				}
			}
			tipRows = append(tipRows, []any{t.ID, t.OfferID, string(t.Category), string(t.Status), boolInt(t.WantsReward), boolInt(t.HasHits),
				tip.CoarseTime(t.ReceivedAt).Unix(), nullString(n.ReceiptLookup), contentID})
			for _, holder := range slices.Sorted(maps.Keys(n.WrappedKeys)) {
				if tip.IsUserHolder(holder) && !receiving[t.OfferID][holder] {
					continue // revoked since intake read the offer's recipients
				}
				keys = append(keys, []any{t.ID, holder, n.WrappedKeys[holder]})
			}
			for _, tok := range n.Tokens {
				tokens = append(tokens, []any{t.ID, tok})
			}
		}
		for _, ins := range []struct {
			into string
			rows [][]any
		}{
			{"blobs (id, tip_id, size)", blobs},
			{"blob_chunks (blob_id, seq, data)", chunks},
			{"tips (id, offer_id, category, status, wants_reward, has_hits, received_at, receipt_lookup, content_blob)", tipRows},
			{"tip_keys (tip_id, holder, wrapped)", keys},
			{"tip_tokens (tip_id, token)", tokens},
			{"recovery_pending (tip_id)", pending},
		} {
			if err := s.insertRows(ctx, tx, ins.into, ins.rows); err != nil {
				return fmt.Errorf("failed to store tips: %w", err)
			}
		}
		for _, n := range tips {
			if err := s.adopt(ctx, tx, n.Tip.ID, n.StagedBlobs); err != nil {
				return err
			}
		}
		return nil
	})
}

// receiving returns, for the offers of tips that wrap their key to desk
// users, who receives each offer now, read inside the commit: its subscribed
// users who are enabled, as OfferRecipients. Intake reads an offer's
// recipients before it seals (from a cache, a second old at most); reading
// them again here means a tip committed after a revocation or a user's
// disabling is never wrapped to that user.
func (s *Store) receiving(ctx context.Context, tx *sql.Tx, tips []*NewTip) (map[string]map[string]bool, error) {
	var offers []any
	seen := map[string]bool{}
	for _, n := range tips {
		if seen[n.Tip.OfferID] || !wrapsToUsers(n) {
			continue
		}
		seen[n.Tip.OfferID] = true
		offers = append(offers, n.Tip.OfferID)
	}
	out := map[string]map[string]bool{}
	if len(offers) == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, s.rebind(`SELECT r.offer_id, r.holder FROM offer_recipients r JOIN users u ON r.holder = 'user:' || u.id
		WHERE u.disabled = 0 AND u.public_key <> '' AND r.offer_id IN (`+placeholders(len(offers))+`)`), offers...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var offer, holder string
		if err := rows.Scan(&offer, &holder); err != nil {
			return nil, err
		}
		if out[offer] == nil {
			out[offer] = map[string]bool{}
		}
		out[offer][holder] = true
	}
	return out, rows.Err()
}

func wrapsToUsers(n *NewTip) bool {
	for holder := range n.WrappedKeys {
		if tip.IsUserHolder(holder) {
			return true
		}
	}
	return false
}

// maxInsertArgs keeps one multi-row INSERT under both databases' limits on
// bound parameters (SQLite 32,766; PostgreSQL 65,535).
const maxInsertArgs = 30000

// insertRows inserts rows, all of the same width, into "table (columns)" with
// as few statements as the parameter limit allows.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, into string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := max(1, maxInsertArgs/width)
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		var q strings.Builder
		q.WriteString("INSERT INTO " + into + " VALUES ")
		args := make([]any, 0, len(batch)*width)
		for i, row := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + placeholders(width) + ")")
			args = append(args, row...)
		}
		if _, err := s.exec(ctx, tx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// LinkedTips returns the other tips that share a blind-index token with
// tipID: reports naming the same ship, wallet or name.
func (s *Store) LinkedTips(ctx context.Context, tipID string) ([]string, error) {
	ids, err := s.queryStrings(ctx, `SELECT DISTINCT other.tip_id FROM tip_tokens mine
		JOIN tip_tokens other ON other.token = mine.token AND other.tip_id <> mine.tip_id
		WHERE mine.tip_id = ? ORDER BY other.tip_id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("failed to find linked tips: %w", err)
	}
	return ids, nil
}

const tipColumns = `id, offer_id, category, status, wants_reward, has_hits, received_at, content_blob, COALESCE(assignee, ''), priority, legal_hold, closed_at`

func scanTip(row scanner) (tip.Tip, string, error) {
	var t tip.Tip
	var category, status, content string
	var wants, hits, hold int
	var received, closed int64
	if err := row.Scan(&t.ID, &t.OfferID, &category, &status, &wants, &hits, &received, &content, &t.Assignee, &t.Priority, &hold, &closed); err != nil {
		return t, "", err
	}
	t.LegalHold, t.ClosedAt = hold == 1, timeOrZero(closed)
	t.Category, t.Status = tip.Category(category), tip.Status(status)
	t.WantsReward, t.HasHits = wants == 1, hits == 1
	t.ReceivedAt = time.Unix(received, 0).UTC()
	return t, content, nil
}

// TipByReceipt finds the tip a receipt's lookup id opens. A receipt whose
// access was ended finds nothing, exactly like a wrong one.
func (s *Store) TipByReceipt(ctx context.Context, lookup string) (tip.Tip, error) {
	t, _, err := scanTip(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+tipColumns+` FROM tips WHERE receipt_lookup = ?`), lookup))
	if errors.Is(err, sql.ErrNoRows) {
		return t, tip.Errorf(tip.CodeNotFound, "no report for this receipt")
	}
	return t, err
}

// Tip returns a tip by id.
func (s *Store) Tip(ctx context.Context, id string) (tip.Tip, error) {
	t, _, err := scanTip(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+tipColumns+` FROM tips WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, tip.Errorf(tip.CodeNotFound, "no such report")
	}
	return t, err
}

// TipContent returns a tip's sealed report.
func (s *Store) TipContent(ctx context.Context, tipID string) ([]byte, error) {
	// One query: the desk reads this on every report it opens.
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT c.data FROM tips t JOIN blob_chunks c ON c.blob_id = t.content_blob
		WHERE t.id = ? ORDER BY c.seq`), tipID)
	if err != nil {
		return nil, fmt.Errorf("failed to read tip content: %w", err)
	}
	defer rows.Close()
	var content []byte
	for rows.Next() {
		var chunk []byte
		if err := rows.Scan(&chunk); err != nil {
			return nil, err
		}
		content = append(content, chunk...)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if content == nil {
		return nil, tip.Errorf(tip.CodeNotFound, "no such report")
	}
	return content, nil
}

// WrappedKey returns a tip's key as wrapped to one holder.
func (s *Store) WrappedKey(ctx context.Context, tipID, holder string) ([]byte, error) {
	var wrapped []byte
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT wrapped FROM tip_keys WHERE tip_id = ? AND holder = ?`), tipID, holder).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tip.Errorf(tip.CodeNotFound, "no key for this holder")
	}
	return wrapped, err
}

// EndReceiptAccess ends, for good, what a receipt opens: its wrapped key, its
// lookup id and its sessions go, and off the disk too (see forgetTx). The
// desk keeps the report.
func (s *Store) EndReceiptAccess(ctx context.Context, tipID string) error {
	return s.forgetTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM tip_keys WHERE tip_id = ? AND holder = 'receipt'`,
			`UPDATE tips SET receipt_lookup = NULL WHERE id = ?`,
			`DELETE FROM source_sessions WHERE tip_id = ?`,
		} {
			if _, err := s.exec(ctx, tx, q, tipID); err != nil {
				return fmt.Errorf("failed to end receipt access: %w", err)
			}
		}
		return nil
	})
}

// StoredBytes returns the sealed bytes stored, for the storage quota.
func (s *Store) StoredBytes(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT SUM(size) FROM blobs`).Scan(&n)
	return n.Int64, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TipIDs lists the ids of all tips.
func (s *Store) TipIDs(ctx context.Context) ([]string, error) {
	return s.queryStrings(ctx, `SELECT id FROM tips ORDER BY id`)
}

// queryStrings runs a query of one text column on the read pool.
func (s *Store) queryStrings(ctx context.Context, query string, args ...any) ([]string, error) {
	return s.queryStringsOn(ctx, s.read, query, args...)
}

// queryStringsOn runs a query of one text column on a pool or in a
// transaction.
func (s *Store) queryStringsOn(ctx context.Context, q execer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, s.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
