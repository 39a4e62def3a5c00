package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tipline/internal/tip"
)

// CreateOffer adds an offer.
func (s *Store) CreateOffer(ctx context.Context, o tip.Offer) error {
	return s.SaveOffer(ctx, o, true, RecipientChanges{})
}

// RecipientChanges are desk users to add to an offer's recipients and to
// remove from them, by holder name ("user:<id>"). An added user's public key
// is read from their account, so a recipient is always a real analyst's
// current key: no one can subscribe a key of their choosing.
type RecipientChanges struct {
	Add    []string
	Remove []string
}

// SaveOffer creates (isNew) or updates an offer and changes who receives its
// new tips, in one transaction.
func (s *Store) SaveOffer(ctx context.Context, o tip.Offer, isNew bool, ch RecipientChanges) (err error) {
	defer s.cachesChanged(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if isNew {
			err = s.insertOffer(ctx, tx, o)
		} else {
			err = s.updateOffer(ctx, tx, o)
		}
		if err != nil {
			return err
		}
		return s.changeRecipients(ctx, tx, o.ID, ch)
	})
}

func (s *Store) insertOffer(ctx context.Context, tx *sql.Tx, o tip.Offer) error {
	title, _ := json.Marshal(o.Title)
	desc, _ := json.Marshal(o.Description)
	cats, _ := json.Marshal(o.Categories)
	_, err := s.exec(ctx, tx, `INSERT INTO offers (id, title, description, max_reward_usd, categories, subject, is_default, starts_at, ends_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, string(title), string(desc), o.MaxRewardUSD, string(cats), o.Subject, boolInt(o.IsDefault), unixOrZero(o.StartsAt), unixOrZero(o.EndsAt), o.CreatedAt.Unix())
	if err != nil {
		return fmt.Errorf("failed to create offer: %w", err)
	}
	return nil
}

func (s *Store) changeRecipients(ctx context.Context, tx *sql.Tx, offerID string, ch RecipientChanges) error {
	for _, holder := range ch.Add {
		if _, err := s.userHolderTx(ctx, tx, holder); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM offer_recipients WHERE offer_id = ? AND holder = ?`, offerID, holder); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `INSERT INTO offer_recipients (offer_id, holder, recipient)
			SELECT ?, ?, u.public_key FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = ? WHERE u.id = ?`,
			offerID, holder, string(tip.RoleAnalyst), strings.TrimPrefix(holder, "user:"))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tip.Errorf(tip.CodeInvalid, "Only analysts receive an offer's reports.")
		}
	}
	for _, holder := range ch.Remove {
		if _, err := s.userHolderTx(ctx, tx, holder); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM offer_recipients WHERE offer_id = ? AND holder = ?`, offerID, holder); err != nil {
			return err
		}
	}
	return nil
}

const offerColumns = `id, title, description, max_reward_usd, categories, subject, is_default, starts_at, ends_at, created_at`

// Offers lists every offer, the default first.
func (s *Store) Offers(ctx context.Context) ([]tip.Offer, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+offerColumns+` FROM offers ORDER BY is_default DESC, created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("failed to list offers: %w", err)
	}
	defer rows.Close()
	var out []tip.Offer
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Offer returns one offer, or a not-found error.
func (s *Store) Offer(ctx context.Context, id string) (tip.Offer, error) {
	now := time.Now()
	if o, ok := s.offers.offer(id, now); ok {
		return o, nil
	}
	gen := s.offers.gen()
	o, err := scanOffer(s.queryRow(ctx, `SELECT `+offerColumns+` FROM offers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, tip.Errorf(tip.CodeNotFound, "no such offer")
	}
	if err == nil {
		s.offers.put(gen, o, false, now)
	}
	return o, err
}

// DefaultOffer returns the offer reports go to when none is chosen.
func (s *Store) DefaultOffer(ctx context.Context) (tip.Offer, error) {
	now := time.Now()
	if o, ok := s.offers.defaultOffer(now); ok {
		return o, nil
	}
	gen := s.offers.gen()
	o, err := scanOffer(s.queryRow(ctx, `SELECT `+offerColumns+` FROM offers WHERE is_default = 1 ORDER BY created_at LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return o, tip.Errorf(tip.CodeNotFound, "no default offer: run tipline init")
	}
	if err == nil {
		s.offers.put(gen, o, true, now)
	}
	return o, err
}

// Holder is a desk user an offer's new tips are wrapped to, with their
// public key. (The receipt and the recovery key, to which every tip is
// wrapped too, are no offer's recipients.)
type Holder struct {
	Name      string // "user:<id>"
	Recipient string
}

// OfferRecipients lists who new tips of an offer are wrapped to: its
// subscribed users who are enabled, each with their current public key.
func (s *Store) OfferRecipients(ctx context.Context, offerID string) ([]Holder, error) {
	now := time.Now()
	if hs, ok := s.offers.holders(offerID, now); ok {
		return hs, nil
	}
	gen := s.offers.gen()
	hs, err := s.offerRecipients(ctx, offerID)
	if err == nil {
		s.offers.putHolders(gen, offerID, hs, now)
	}
	return hs, err
}

func (s *Store) offerRecipients(ctx context.Context, offerID string) ([]Holder, error) {
	rows, err := s.queryRows(ctx, `SELECT r.holder, u.public_key FROM offer_recipients r JOIN users u ON r.holder = 'user:' || u.id
		WHERE r.offer_id = ? AND u.disabled = 0 AND u.public_key <> '' ORDER BY r.holder`, offerID)
	if err != nil {
		return nil, fmt.Errorf("failed to list offer recipients: %w", err)
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.Name, &h.Recipient); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Subscription is a desk user's subscription to an offer's new tips, as an
// admin sees it: a disabled user's is kept, but brings them nothing until
// they are enabled again.
type Subscription struct {
	Holder   string // "user:<id>"
	Name     string
	Disabled bool
}

// OfferSubscriptions lists every user subscribed to an offer's new tips,
// disabled ones too.
func (s *Store) OfferSubscriptions(ctx context.Context, offerID string) ([]Subscription, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT r.holder, u.name, u.disabled FROM offer_recipients r JOIN users u ON r.holder = 'user:' || u.id
		WHERE r.offer_id = ? ORDER BY u.name`), offerID)
	if err != nil {
		return nil, fmt.Errorf("failed to list offer subscriptions: %w", err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		var sub Subscription
		var disabled int
		if err := rows.Scan(&sub.Holder, &sub.Name, &disabled); err != nil {
			return nil, err
		}
		sub.Disabled = disabled == 1
		out = append(out, sub)
	}
	return out, rows.Err()
}

// AddOfferRecipient makes an analyst receive an offer's new tips.
func (s *Store) AddOfferRecipient(ctx context.Context, offerID, holder string) error {
	return s.ChangeOfferRecipients(ctx, offerID, RecipientChanges{Add: []string{holder}})
}

// ChangeOfferRecipients adds and removes holders of an offer's new tips, in
// one transaction.
func (s *Store) ChangeOfferRecipients(ctx context.Context, offerID string, ch RecipientChanges) (err error) {
	defer s.cachesChanged(&err)
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.changeRecipients(ctx, tx, offerID, ch) })
}

type scanner interface{ Scan(dest ...any) error }

func scanOffer(row scanner) (tip.Offer, error) {
	var o tip.Offer
	var title, desc, cats string
	var isDefault int
	var starts, ends, created int64
	if err := row.Scan(&o.ID, &title, &desc, &o.MaxRewardUSD, &cats, &o.Subject, &isDefault, &starts, &ends, &created); err != nil {
		return o, err
	}
	if err := errors.Join(json.Unmarshal([]byte(title), &o.Title), json.Unmarshal([]byte(desc), &o.Description), json.Unmarshal([]byte(cats), &o.Categories)); err != nil {
		return o, fmt.Errorf("offer %s is damaged: %w", o.ID, err)
	}
	o.IsDefault = isDefault == 1
	o.StartsAt, o.EndsAt, o.CreatedAt = timeOrZero(starts), timeOrZero(ends), time.Unix(created, 0).UTC()
	return o, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(u int64) time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(u, 0).UTC()
}

// RemoveOfferRecipient stops wrapping an offer's new tips to a holder. Tips
// already wrapped to them stay readable: revoke to end that.
func (s *Store) RemoveOfferRecipient(ctx context.Context, offerID, holder string) error {
	return s.ChangeOfferRecipients(ctx, offerID, RecipientChanges{Remove: []string{holder}})
}
