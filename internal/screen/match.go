package screen

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"tipline/internal/screen/ident"
)

// DefaultThreshold is the alert threshold: a name whose score is below it is
// not a hit. On the calibration half of the evaluation set it is the highest
// threshold — the fewest false positives on the tip-line negatives — that
// keeps recall@10 at 0.983 or more (the 0.98 goal plus the difference seen
// between halves) and the yente false positives under 1.75% (the 2% goal
// less a margin); the figures are reported on the other half
// (docs/screening.md, TestEvaluation).
const DefaultThreshold = 0.85

// DefaultLimit is the number of hits returned when Options.Limit is zero.
const DefaultLimit = 10

// DefaultPossible is the lowest score `tipline screen` lists as a possible
// match: a candidate for a person to look at, never an alert. It is not
// calibrated: it is the score under which the evaluation's near misses of
// listed names are rare (docs/screening.md).
const DefaultPossible = 0.8

// Options tune one screening.
type Options struct {
	Threshold float64 // zero means DefaultThreshold
	Limit     int     // zero means DefaultLimit; negative means no limit
	// Possible, when above zero and under Threshold, lists entries scoring
	// from Possible up to Threshold in Result.Possible (at most Limit).
	Possible float64
}

// Hit is one list entry that a query names.
type Hit struct {
	Source  Source   `json:"source"`
	ID      string   `json:"id"`
	Name    string   `json:"name"`    // the entry's primary name
	Matched string   `json:"matched"` // the name or identifier that matched, as the list writes it
	Kind    Kind     `json:"kind"`    // KindWallet when a wallet address matched
	Score   float64  `json:"score"`   // 1 for identifiers
	Why     string   `json:"why"`
	SameAs  []string `json:"same_as,omitempty"` // "source:id" of the same ship or party in other entries
	Version string   `json:"version,omitempty"` // the list version's date
}

// Result is the outcome of screening one query.
type Result struct {
	Query string `json:"query"`
	Hits  []Hit  `json:"hits"` // best first; empty means no alert
	// Possible are weaker candidates (Options.Possible), best first: for a
	// person to look at, never an alert. Empty unless asked for.
	Possible []Hit `json:"possible"`
	// Warnings are problems with the query itself, such as an IMO number
	// with a wrong check digit: never a match, always worth showing.
	Warnings []string `json:"warnings"`
}

// Screen checks one query — a name, an identifier or a sentence from a
// report — against the index. Identifiers are found with ident.Extract
// and matched exactly; candidate names are picked from the text (see
// NameCandidates) and matched fuzzily. Each entry appears at most once,
// with its best match.
func (ix *Index) Screen(query string, opt Options) Result {
	if opt.Threshold <= 0 {
		opt.Threshold = DefaultThreshold
	}
	if opt.Limit == 0 {
		opt.Limit = DefaultLimit
	}
	res := Result{Query: query, Hits: []Hit{}, Possible: []Hit{}, Warnings: []string{}}
	// floor is the lowest score kept: the threshold, or the possible tier's.
	floor := opt.Threshold
	if opt.Possible > 0 && opt.Possible < opt.Threshold {
		floor = opt.Possible
	}
	best := map[int32]Hit{}
	keep := func(ei int32, h Hit) {
		if old, ok := best[ei]; !ok || h.Score > old.Score {
			best[ei] = h
		}
	}
	finds := findIdentifiers(query)
	var spans [][2]int
	for _, f := range finds {
		spans = append(spans, [2]int{f.Start, f.End})
		if f.Warning != nil {
			res.Warnings = append(res.Warnings, f.Warning.Error())
			continue
		}
		for _, m := range ix.matchIdentifier(f) {
			keep(m.entry, ix.identifierHit(m, f))
		}
	}
	for _, cand := range NameCandidates(query, spans) {
		for _, m := range ix.matchName(cand, floor) {
			// matchName keeps a margin under floor; what is under it is
			// not explained only to be dropped.
			if round3(m.score) >= floor {
				keep(m.entry, ix.nameHit(m, cand))
			}
		}
	}
	for _, m := range ix.scanScript(query) {
		keep(m.entry, ix.nameHit(m, ix.aliasText(m.alias)))
	}
	ix.addLinked(best, floor, -1)
	for _, h := range best {
		switch {
		case h.Score >= opt.Threshold:
			res.Hits = append(res.Hits, h)
		case h.Score >= floor:
			res.Possible = append(res.Possible, h)
		}
	}
	res.Hits = bestFirst(res.Hits, opt.Limit)
	res.Possible = bestFirst(res.Possible, opt.Limit)
	return res
}

// bestFirst sorts hits by score, then source and id, and keeps limit.
func bestFirst(hits []Hit, limit int) []Hit {
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// findIdentifiers extracts identifiers from the query. A query that is
// nothing but seven or nine digits is read as an IMO number or an MMSI,
// since on a screening line the bare number is the question; inside a
// sentence such numbers need a label or a vessel word (ident.Extract).
func findIdentifiers(q string) []ident.Found {
	trimmed := strings.TrimSpace(q)
	digits := strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, trimmed)
	if strings.IndexFunc(digits, func(r rune) bool { return !unicode.IsDigit(r) || r > unicode.MaxASCII }) < 0 {
		start := strings.Index(q, trimmed)
		f := ident.Found{Raw: trimmed, Start: start, End: start + len(trimmed), Value: digits}
		switch len(digits) {
		case 7:
			f.Type = ident.TypeIMO
			if _, err := ident.ParseIMO(digits); err != nil {
				f.Warning = err
			}
			return []ident.Found{f}
		case 9:
			f.Type = ident.TypeMMSI
			if _, err := ident.ParseMMSI(digits); err != nil {
				f.Warning = err
			}
			return []ident.Found{f}
		}
	}
	return ident.Extract(q)
}

type match struct {
	entry int32
	alias int32 // -1 for identifiers
	score float64
	key   string // the identifier key that matched
}

// matchIdentifier looks an identifier up exactly. Seven digits are looked up
// as both ship and company IMO numbers, because the lists themselves put ship
// labels on companies; the explanation says which one the list wrote.
func (ix *Index) matchIdentifier(f ident.Found) []match {
	var keys []string
	switch f.Type {
	case ident.TypeIMO, ident.TypeCompanyIMO:
		keys = []string{string(IDIMO) + ":" + f.Value, string(IDCompanyIMO) + ":" + f.Value}
	case ident.TypeMMSI:
		keys = []string{string(IDMMSI) + ":" + f.Value}
	case ident.TypeCallSign:
		keys = []string{string(IDCallSign) + ":" + f.Value}
	case ident.TypeWallet:
		keys = []string{"wallet:" + f.Value}
	}
	var out []match
	for _, k := range keys {
		for _, ei := range ix.ids[k] {
			out = append(out, match{entry: ei, alias: -1, score: 1, key: k})
		}
	}
	return out
}
