package tip

import "time"

// Category is a kind of sanctions evasion a report can be about.
type Category string

// The categories of the default North Korea offer.
var DPRKCategories = []Category{
	"ship_to_ship", "exports", "oil", "workers", "cyber", "weapons", "front_companies", "luxury", "other",
}

// DefaultMaxRewardUSD is the cap on the reward for one report: US$5,000,000.
const DefaultMaxRewardUSD = 5_000_000

// Offer is a reward offer that reports are sent to. Title and description are
// per language; a missing language falls back to English.
type Offer struct {
	ID           string
	Title        map[string]string
	Description  map[string]string
	MaxRewardUSD int64
	Categories   []Category
	Subject      string // optional: a named person, vessel or network; shown as written, in every language
	IsDefault    bool
	StartsAt     time.Time // zero: always
	EndsAt       time.Time // zero: never
	CreatedAt    time.Time
}

// Text returns the value for lang, or the English one.
func Text(m map[string]string, lang string) string {
	if v, ok := m[lang]; ok && v != "" {
		return v
	}
	return m["en"]
}

// Active reports whether the offer takes reports at t.
func (o Offer) Active(t time.Time) bool {
	return (o.StartsAt.IsZero() || !t.Before(o.StartsAt)) && (o.EndsAt.IsZero() || t.Before(o.EndsAt))
}

// HasCategory reports whether c is one of the offer's categories.
func (o Offer) HasCategory(c Category) bool {
	for _, x := range o.Categories {
		if x == c {
			return true
		}
	}
	return false
}
