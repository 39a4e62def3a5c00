// Package screening puts the screening engine to work on reports: every new
// report is screened at intake against the lists in force; when a list
// changes, open reports' identifiers are re-checked at once through the
// keyed blind index — without opening them — and their names are screened
// again when an analyst next opens them.
//
// Results are sealed with the report (they name what the source wrote); only
// a "has hits" flag is kept in the clear, for the desk's queue filter.
package screening

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"tipline/internal/blind"
	"tipline/internal/screen"
	"tipline/internal/screen/ident"
	"tipline/internal/store"
	"tipline/internal/tip"
)

// Outcome is a report's screening, as sealed with it.
type Outcome struct {
	Versions string       `json:"versions"` // the list versions in force, "" when none were loaded
	At       time.Time    `json:"at"`
	Hits     []screen.Hit `json:"hits"`
	// Possible are weaker candidates (screen.DefaultPossible up to the
	// threshold) for an analyst to look at: they never set the "has hits"
	// flag nor count as new hits. An entry that is a hit is not listed here.
	Possible []screen.Hit `json:"possible,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
	New      []string     `json:"new,omitempty"` // source:id of hits a re-screen added
	// NamedBefore: entries the report named before Tipline held a list
	// version listing them.
	NamedBefore []NamedBefore `json:"named_before,omitempty"`
}

// Screened is a report as intake seals it: the report's own fields with its
// first screening beside them, so that one seal — one post-quantum
// encapsulation — covers both. Read as a [tip.Report] it is the report;
// later screenings are sealed and stored apart.
type Screened struct {
	tip.Report
	Screening *Outcome `json:"screening,omitempty"`
}

// HasHits reports whether anything was found at the threshold; possible
// matches do not count.
func (o Outcome) HasHits() bool { return len(o.Hits) > 0 }

// state is one immutable set of lists in force and its index.
type state struct {
	index    *screen.Index
	versions string
}

// Service screens reports with the lists in force. Safe for concurrent use.
type Service struct {
	store *store.Store
	blind *blind.Index
	log   *slog.Logger
	cur   atomic.Pointer[state]
	first firstListed
	// outage logs that the database does not answer, once in a while: Run
	// reloads every 5 s.
	outage store.OutageLog
}

// New returns a service with no lists loaded; call Load or Run.
func New(st *store.Store, bi *blind.Index, log *slog.Logger) *Service {
	s := &Service{store: st, blind: bi, log: log}
	s.cur.Store(&state{index: screen.NewIndex()})
	return s
}

// Versions names the list versions in force ("" when none).
func (s *Service) Versions() string { return s.cur.Load().versions }

// Load builds the index of the lists in force, if they changed, and swaps it
// in. When they changed, open reports naming an identifier on the lists are
// flagged at once through the blind index. It reports whether anything
// changed.
func (s *Service) Load(ctx context.Context) (bool, error) {
	versions, err := s.store.ListVersions(ctx)
	if err != nil {
		return false, err
	}
	key := currentKey(versions)
	if key == s.Versions() {
		return false, nil
	}
	lists, _, err := s.store.CurrentLists(ctx)
	if errors.Is(err, store.ErrNoLists) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ix := screen.NewIndex(lists...)
	s.cur.Store(&state{index: ix, versions: key})
	flagged, err := s.store.FlagTipsWithTokens(ctx, s.identifierTokens(lists))
	if err != nil {
		return true, err
	}
	s.log.Info("screening lists loaded", "entries", ix.Len(), "names", ix.Names(), "open reports newly flagged", flagged)
	return true, nil
}

// Run loads the lists now, again as soon as the store hears of a change (a
// list imported here, on another server or by "tipline lists import"; see
// store.WatchChanges), and every half minute should a change go unheard,
// until ctx ends. Checking costs one small query when nothing changed.
func (s *Service) Run(ctx context.Context) {
	changes := s.store.CacheChanges()
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	for {
		if _, err := s.Load(ctx); err != nil && ctx.Err() == nil {
			s.outage.Failed(s.log, "screening: loading lists failed", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-changes:
		case <-tick.C:
		}
	}
}

func currentKey(versions []store.ListVersion) string {
	var ids []string
	for _, v := range versions {
		if v.Current {
			ids = append(ids, string(v.Source)+":"+v.ID)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// identifierTokens are the blind-index tokens of every ship IMO number,
// MMSI and wallet on the lists: the same tokens intake stores for reports.
func (s *Service) identifierTokens(lists []*screen.List) []string {
	var terms []blind.Term
	for _, l := range lists {
		for _, e := range l.Entries {
			for _, id := range e.Identifiers {
				switch id.Type {
				case screen.IDIMO:
					if imo, err := ident.ParseIMO(id.Value); err == nil {
						terms = append(terms, blind.Term{Kind: blind.KindIMO, Value: strings.TrimPrefix(imo.String(), "IMO ")})
					}
				case screen.IDMMSI:
					if m, err := ident.ParseMMSI(id.Value); err == nil {
						terms = append(terms, blind.Term{Kind: blind.KindMMSI, Value: string(m)})
					}
				case screen.IDWallet:
					if w, err := ident.ParseWallet(id.Value); err == nil {
						terms = append(terms, blind.Term{Kind: blind.KindWallet, Value: w.Address})
					}
				}
			}
		}
	}
	return s.blind.Tokens(terms)
}

// Screen screens a report — its text and every structured field — against
// the lists in force. Entries scoring in the possible tier are kept apart
// from the hits (Outcome.Possible).
func (s *Service) Screen(r *tip.Report) Outcome {
	st := s.cur.Load()
	out := Outcome{Versions: st.versions, At: time.Now().UTC()}
	opt := screen.Options{Possible: screen.DefaultPossible}
	var results []screen.Result
	for _, q := range queries(r) {
		results = append(results, st.index.Screen(q, opt))
	}
	// A ship's name is screened with its IMO number and flag, so that the
	// number outranks a namesake (screen.Index.ScreenVessel).
	for _, v := range r.Vessels {
		if v.Name != "" || v.IMO != "" {
			results = append(results, st.index.ScreenVessel(screen.ReportedVessel{Name: v.Name, IMO: v.IMO, Flag: v.Flag}, opt))
		}
	}
	// A person's or company's nationality, birth year or country, given in
	// brackets after the name, corroborates or contradicts a listed one.
	for _, line := range r.People {
		results = append(results, st.index.ScreenPerson(personOf(line), opt))
	}
	for _, line := range r.Companies {
		results = append(results, st.index.ScreenCompany(companyOf(line), opt))
	}
	hits, possible := map[string]screen.Hit{}, map[string]screen.Hit{}
	warned := map[string]bool{}
	for _, res := range results {
		keepBest(hits, res.Hits)
		keepBest(possible, res.Possible)
		for _, w := range res.Warnings {
			if !warned[w] {
				warned[w] = true
				out.Warnings = append(out.Warnings, w)
			}
		}
	}
	// An entry one field names weakly and another strongly is a hit.
	for key := range hits {
		delete(possible, key)
	}
	out.Hits, out.Possible = bestFirst(hits), bestFirst(possible)
	return out
}

func hitKey(h screen.Hit) string { return string(h.Source) + ":" + h.ID }

// keepBest keeps in best each entry's highest-scoring hit.
func keepBest(best map[string]screen.Hit, hits []screen.Hit) {
	for _, h := range hits {
		if old, ok := best[hitKey(h)]; !ok || h.Score > old.Score {
			best[hitKey(h)] = h
		}
	}
}

// bestFirst lists hits by score, then by source and id; nil when none.
func bestFirst(hits map[string]screen.Hit) []screen.Hit {
	var out []screen.Hit
	for _, h := range hits {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return hitKey(out[i]) < hitKey(out[j])
	})
	return out
}

// Rescreen screens a report again and marks the hits the old outcome lacked.
//
// For a hit it adds, it records whether the report — received at
// receivedAt — named the entry before Tipline first held a list version
// listing it (NamedBefore); the records of earlier screenings are kept.
func (s *Service) Rescreen(ctx context.Context, r *tip.Report, old Outcome, receivedAt time.Time) Outcome {
	out := s.Screen(r)
	had := map[string]bool{}
	for _, h := range old.Hits {
		had[string(h.Source)+":"+h.ID] = true
	}
	for _, h := range out.Hits {
		if key := string(h.Source) + ":" + h.ID; !had[key] {
			out.New = append(out.New, key)
		}
	}
	s.namedBefore(ctx, &out, old, receivedAt)
	return out
}

// queries are the texts of a report to screen, one per field value; ships,
// people and companies are screened apart with what the report says of them
// (Service.Screen).
func queries(r *tip.Report) []string {
	var q []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			q = append(q, s)
		}
	}
	add(r.Message)
	add(r.Where)
	for _, v := range r.Vessels {
		if v.MMSI != "" {
			add("MMSI " + v.MMSI)
		}
	}
	for _, s := range r.Wallets {
		add(s)
	}
	return q
}
