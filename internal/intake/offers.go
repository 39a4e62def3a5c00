package intake

import (
	"fmt"
	"time"

	"tipline/internal/tip"
)

// offerView is an offer as a source page shows it, in one language.
type offerView struct {
	ID          string
	Title       string
	Description string
	Max         string
	Subject     string // as the admin wrote it: a name reads the same in every language
	Categories  []tip.Category
	Ended       bool
}

func viewOffer(o tip.Offer, lang string) offerView {
	v := offerView{
		ID: o.ID, Title: tip.Text(o.Title, lang), Description: tip.Text(o.Description, lang),
		Max: tip.USD(o.MaxRewardUSD), Subject: o.Subject, Ended: !o.Active(time.Now()), Categories: o.Categories,
	}
	return v
}

// humanBytes writes a size limit in the largest whole unit.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
