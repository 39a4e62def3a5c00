package desk

import (
	"context"
	"fmt"
	"time"
)

// listWarnings says, for the queue page, which sources failed their last
// refreshes (and since when) and which lists in force are older than the
// configured age.
func (s *Server) listWarnings(ctx context.Context) ([]string, error) {
	maxAge := s.cfg.ListsMaxAge
	if maxAge <= 0 {
		maxAge = 7 * 24 * time.Hour
	}
	var out []string
	refreshes, err := s.store.ListRefreshes(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range refreshes {
		if !r.FailingSince.IsZero() {
			out = append(out, fmt.Sprintf("The %s list has failed to refresh since %s UTC: the last good version stays in force.",
				r.Source, r.FailingSince.UTC().Format("2006-01-02 15:04")))
		}
	}
	versions, err := s.store.ListVersions(ctx)
	if err != nil {
		return nil, err
	}
	loaded := false
	for _, v := range versions {
		loaded = loaded || v.Current
		if v.Current && time.Since(v.Published) > maxAge {
			out = append(out, fmt.Sprintf("The %s list in force dates from %s, more than %d days ago.",
				v.Source, v.Published.UTC().Format("2006-01-02"), int(maxAge.Hours()/24)))
		}
	}
	if !loaded {
		out = append(out, "No sanctions list is loaded: reports are not screened. An admin imports them with tipline lists import or download.")
	}
	return out, nil
}
