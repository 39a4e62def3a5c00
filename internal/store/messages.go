package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tipline/internal/tip"
)

// AddMessage stores a message with its sealed body and adopts its staged
// files, in one transaction. The message's Seq is set here.
func (s *Store) AddMessage(ctx context.Context, m *tip.Message, sealedBody []byte, staged []string) error {
	// Two writers on PostgreSQL may pick the same next seq; the unique
	// constraint refuses one, and it tries again.
	var err error
	for range 5 {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE tip_id = ?`), m.TipID).Scan(&m.Seq); err != nil {
				return err
			}
			bodyID, err := s.insertBlob(ctx, tx, m.TipID, sealedBody)
			if err != nil {
				return err
			}
			m.BodyBlob = bodyID
			_, err = s.exec(ctx, tx, `INSERT INTO messages (id, tip_id, author, seq, created_at, body_blob) VALUES (?, ?, ?, ?, ?, ?)`,
				m.ID, m.TipID, string(m.Author), m.Seq, m.CreatedAt.UTC().Truncate(time.Minute).Unix(), bodyID)
			if err != nil {
				return err
			}
			return s.adopt(ctx, tx, m.TipID, staged)
		})
		if err == nil || !isUniqueViolation(err) {
			break
		}
	}
	if err != nil && tip.ErrorCode(err) == tip.CodeInternal {
		return fmt.Errorf("failed to store message: %w", err)
	}
	return err
}

// Messages lists a tip's messages, oldest first.
func (s *Store) Messages(ctx context.Context, tipID string) ([]tip.Message, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT id, author, seq, created_at, body_blob FROM messages WHERE tip_id = ? ORDER BY seq`), tipID)
	if err != nil {
		return nil, fmt.Errorf("failed to list messages: %w", err)
	}
	defer rows.Close()
	var out []tip.Message
	for rows.Next() {
		m := tip.Message{TipID: tipID}
		var author string
		var created int64
		if err := rows.Scan(&m.ID, &author, &m.Seq, &created, &m.BodyBlob); err != nil {
			return nil, err
		}
		m.Author, m.CreatedAt = tip.Author(author), time.Unix(created, 0).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint") || strings.Contains(msg, "23505")
}
