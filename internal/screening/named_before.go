package screening

import (
	"context"
	"math"
	"sort"
	"sync"
	"time"

	"tipline/internal/screen"
	"tipline/internal/store"
)

// NamedBefore records that a report named a listed entry before Tipline
// first held a list version listing it: the measurable sign that a tip
// panned out. It is sealed with the report's screening.
type NamedBefore struct {
	Entry     string    `json:"entry"` // source:id
	Name      string    `json:"name"`
	Days      int       `json:"days"`               // whole days between the report and the first version listing the entry
	FirstHeld time.Time `json:"first_held"`         // when Tipline imported that version
	Published time.Time `json:"published,omitzero"` // that version's own date, where the list gives one
}

// firstListed finds, for entries of a source, the oldest list version
// Tipline holds that lists each of them. Versions never change once
// imported, so what is read is kept.
type firstListed struct {
	mu      sync.Mutex
	entries map[string]map[string]bool // version id -> entry ids
}

// of returns the oldest version of source, by import, that lists id.
func (f *firstListed) of(ctx context.Context, st *store.Store, source screen.Source, id string) (store.ListVersion, bool, error) {
	versions, err := st.ListVersions(ctx)
	if err != nil {
		return store.ListVersion{}, false, err
	}
	sort.Slice(versions, func(i, j int) bool { return versions[i].ImportedAt.Before(versions[j].ImportedAt) })
	for _, v := range versions {
		if v.Source != source {
			continue
		}
		ids, err := f.idsOf(ctx, st, v.ID)
		if err != nil {
			return store.ListVersion{}, false, err
		}
		if ids[id] {
			return v, true, nil
		}
	}
	return store.ListVersion{}, false, nil
}

func (f *firstListed) idsOf(ctx context.Context, st *store.Store, versionID string) (map[string]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ids, ok := f.entries[versionID]; ok {
		return ids, nil
	}
	l, _, err := st.LoadListVersion(ctx, versionID)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(l.Entries))
	for i := range l.Entries {
		ids[l.Entries[i].ID] = true
	}
	if f.entries == nil {
		f.entries = map[string]map[string]bool{}
	}
	f.entries[versionID] = ids
	return ids, nil
}

// namedBefore adds to out, for each hit a re-screen found new, whether the
// report (received at receivedAt) named it before Tipline first held a
// list listing it; earlier records are kept.
func (s *Service) namedBefore(ctx context.Context, out *Outcome, old Outcome, receivedAt time.Time) {
	out.NamedBefore = append(out.NamedBefore[:0], old.NamedBefore...)
	seen := map[string]bool{}
	for _, n := range out.NamedBefore {
		seen[n.Entry] = true
	}
	isNew := map[string]bool{}
	for _, k := range out.New {
		isNew[k] = true
	}
	for _, h := range out.Hits {
		key := string(h.Source) + ":" + h.ID
		if !isNew[key] || seen[key] {
			continue
		}
		v, ok, err := s.first.of(ctx, s.store, h.Source, h.ID)
		if err != nil {
			s.log.Error("screening: cannot tell when an entry was first listed", "err", err)
			continue
		}
		if !ok || !receivedAt.Before(v.ImportedAt) {
			continue
		}
		n := NamedBefore{Entry: key, Name: h.Name, Days: int(math.Round(v.ImportedAt.Sub(receivedAt).Hours() / 24)), FirstHeld: v.ImportedAt}
		if v.Dated {
			n.Published = v.Published
		}
		seen[key] = true
		out.NamedBefore = append(out.NamedBefore, n)
	}
}
