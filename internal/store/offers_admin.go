package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"tipline/internal/tip"
)

func (s *Store) updateOffer(ctx context.Context, tx *sql.Tx, o tip.Offer) error {
	title, _ := json.Marshal(o.Title)
	desc, _ := json.Marshal(o.Description)
	cats, _ := json.Marshal(o.Categories)
	res, err := s.exec(ctx, tx, `UPDATE offers SET title = ?, description = ?, max_reward_usd = ?, categories = ?, subject = ?, starts_at = ?, ends_at = ?
		WHERE id = ?`,
		string(title), string(desc), o.MaxRewardUSD, string(cats), o.Subject, unixOrZero(o.StartsAt), unixOrZero(o.EndsAt), o.ID)
	if err != nil {
		return fmt.Errorf("failed to update offer: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return tip.Errorf(tip.CodeNotFound, "no such offer")
	}
	return nil
}

// SetRewardCeilingChecked changes the installation-wide ceiling unless an
// offer — active or ended, since an ended offer's reports can still be
// rewarded — promises more than the new ceiling; then it is refused with a
// conflict that names the offer. The cap on a report is its offer's maximum
// bounded by the ceiling (capOf), so a race with an offer edit can at worst
// make a promise look larger than it is, never pay more than the ceiling.
func (s *Store) SetRewardCeilingChecked(ctx context.Context, usd int64) error {
	if usd <= 0 {
		return tip.Errorf(tip.CodeInvalid, "The ceiling must be a positive number of whole US dollars, such as 5000000.")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id, title string
		var offerMax int64
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT id, title, max_reward_usd FROM offers WHERE max_reward_usd > ? ORDER BY max_reward_usd DESC, id LIMIT 1`), usd).
			Scan(&id, &title, &offerMax)
		switch {
		case err == nil:
			var titles map[string]string
			_ = json.Unmarshal([]byte(title), &titles) // a damaged title still leaves the id to name it by
			return tip.Errorf(tip.CodeConflict, "The offer %q (%s) promises up to %s, above a ceiling of %s: lower its maximum first.",
				titles["en"], id, tip.USD(offerMax), tip.USD(usd))
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("failed to check offers against the ceiling: %w", err)
		}
		_, err = s.exec(ctx, tx, `UPDATE settings SET value = ? WHERE name = 'reward_ceiling_usd'`, strconv.FormatInt(usd, 10))
		return err
	})
}
