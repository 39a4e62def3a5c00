package screen

import (
	"math"
	"strings"
	"sync"

	"tipline/internal/screen/ident"
	"tipline/internal/screen/translit"
)

// Index is an in-memory index of list versions, built once per set of
// versions in force and then shared: it is read-only after NewIndex, so any
// number of goroutines may call Screen at once. A list update builds a new
// Index and swaps the pointer; nothing is updated in place.
//
// The expensive work (normalisation, romanisation and phonetic keys, about
// 40 µs a name) happens here, once, so that a query costs only its own
// keys, a few map lookups and the scoring of a bounded set of candidates.
type Index struct {
	entries []indexedEntry
	aliases []alias
	// tokens maps every word of every key of every alias to the aliases
	// that carry it; keys maps whole keys ("songjin", "kim jong un").
	tokens map[string][]int32
	keys   map[string][]int32
	// vocab and grams find the listed words nearest to a misspelt word
	// that is in no posting list: trigram -> vocab word ids.
	vocab      []string
	vocabGrams []uint8 // the number of trigrams of each vocab word
	grams      map[string][]int32
	scratch    sync.Pool // *gramScratch, for nearWords
	// ids maps "imo:8712362", "wallet:0x..." and the like to entries.
	ids map[string][]int32
	// script maps the space-free normal form of every Han, Hangul or
	// Cyrillic name to its aliases, to find names inside unspaced text.
	script    map[string][]int32
	scriptMax int // longest key in script, in runes
	// byKey maps "source:id" to the entry, for what a hit names.
	byKey map[string]int32
}

type indexedEntry struct {
	e       *Entry
	list    string // "the UN 1718 vessels list (2020-06-04)"
	sameAs  []string
	links   []link // the same ship or party in other entries, by sameAs order
	version string // the list's date, for Hit.Version
}

type alias struct {
	entry int32
	name  int16 // index in Entry.Names
	c     translit.Name
	// flat is the Latin normal form without spaces, and sorted the same
	// with its words sorted first, for the cross-script check (crossScript).
	flat, sorted string
	// words are the Latin forms split into weighted words (tokenScore);
	// bare is the name without its numbers, for names that carry one.
	words []tokenForm
	bare  *translit.Name
}

// maxPosting is the number of aliases above which a word is too common
// to generate candidates by itself ("mohammed", "trading"): such words still
// count once a candidate has been found through a rarer word or a whole key.
const maxPosting = 1500

// NewIndex indexes the entries of lists. Each list's Published date names
// its version in explanations; a list with no date (the OFAC CSV set) is
// described without one, so callers that record an import time should set
// Published to it first.
func NewIndex(lists ...*List) *Index {
	ix := &Index{
		tokens: map[string][]int32{},
		keys:   map[string][]int32{},
		grams:  map[string][]int32{},
		ids:    map[string][]int32{},
		script: map[string][]int32{},
		byKey:  map[string]int32{},
	}
	vocabID := map[string]int32{}
	for _, l := range lists {
		desc, version := describeList(l)
		for i := range l.Entries {
			e := &l.Entries[i]
			ei := int32(len(ix.entries))
			ix.entries = append(ix.entries, indexedEntry{e: e, list: desc, version: version})
			ix.byKey[e.Key()] = ei
			for ni, n := range e.Names {
				ix.addName(ei, ni, n, vocabID)
			}
			for _, key := range identifierKeys(e) {
				ix.ids[key] = appendUnique(ix.ids[key], ei)
			}
		}
	}
	// Word weights need every posting list, so the word forms come last.
	for i := range ix.aliases {
		a := &ix.aliases[i]
		a.words = ix.tokenForms(&a.c)
		if len(a.words) > 0 && len(a.words[0].nums) > 0 {
			a.bare = withoutNumbers(a.c.Analysis.Tokens)
		}
	}
	ix.linkSameAs()
	// The romanisation tables are built on first use; doing it here keeps
	// that cost out of the first Hangul or Han query (about 0.2 s).
	translit.Compile("김정은 丹东 Ким")
	ix.scratch.New = func() any { return &gramScratch{counts: make([]uint8, len(ix.vocab))} }
	return ix
}

func (ix *Index) addName(ei int32, ni int, n Name, vocabID map[string]int32) {
	ai := int32(len(ix.aliases))
	c := translit.Compile(n.Text)
	flat, sorted := flatForms(c.Analysis.Tokens)
	ix.aliases = append(ix.aliases, alias{entry: ei, name: int16(ni), c: c, flat: flat, sorted: sorted})
	for _, k := range c.Keys() {
		ix.keys[k] = appendUnique(ix.keys[k], ai)
		for _, w := range strings.Fields(k) {
			if _, ok := vocabID[w]; !ok {
				id := int32(len(ix.vocab))
				vocabID[w] = id
				ix.vocab = append(ix.vocab, w)
				gs := trigrams(w)
				ix.vocabGrams = append(ix.vocabGrams, uint8(min(len(gs), 255)))
				for _, g := range gs {
					ix.grams[g] = append(ix.grams[g], id)
				}
			}
			ix.tokens[w] = appendUnique(ix.tokens[w], ai)
		}
	}
	if text := c.Analysis.Text; translit.HasHan(text) || translit.HasHangul(text) || translit.HasCyrillic(text) {
		k := strings.ReplaceAll(text, " ", "")
		ix.script[k] = appendUnique(ix.script[k], ai)
		ix.scriptMax = max(ix.scriptMax, len([]rune(k)))
	}
}

// appendUnique appends v unless it is already last: postings are built in
// increasing order, so a repeat can only be the last element.
func appendUnique(s []int32, v int32) []int32 {
	if n := len(s); n > 0 && s[n-1] == v {
		return s
	}
	return append(s, v)
}

// trigrams returns the letter trigrams of a word padded with one space on
// each side, so that short words and word starts weigh in.
func trigrams(w string) []string {
	r := []rune(" " + w + " ")
	if len(r) < 3 {
		return nil
	}
	out := make([]string, 0, len(r)-2)
	for i := 0; i+3 <= len(r); i++ {
		out = append(out, string(r[i:i+3]))
	}
	return out
}

// idf weighs a word by how rare it is among the aliases.
func (ix *Index) idf(df int) float64 {
	return math.Log(1 + float64(len(ix.aliases))/float64(1+df))
}

// identifierKeys returns the exact-match keys of an entry's identifiers.
// Wallets are keyed by ident's comparison form (lower-case hex for
// Ethereum, base58 as written), so a query in another case or as a
// payment URI still meets them.
func identifierKeys(e *Entry) []string {
	var out []string
	for _, id := range e.Identifiers {
		switch id.Type {
		case IDIMO, IDCompanyIMO, IDMMSI, IDCallSign:
			out = append(out, string(id.Type)+":"+id.Value)
		case IDWallet:
			out = append(out, "wallet:"+walletKey(id.Currency, id.Value))
		}
	}
	return out
}

func walletKey(currency, value string) string {
	if w, err := ident.ParseWalletAs(currency, value); err == nil {
		return w.Address
	}
	if w, err := ident.ParseWallet(value); err == nil {
		return w.Address
	}
	// An address the list writes that fails validation is kept as
	// written: it can still be met exactly, and the list's typo survives.
	if strings.HasPrefix(strings.ToLower(value), "0x") {
		return strings.ToLower(value)
	}
	return value
}

// describeList names a list version for explanations.
func describeList(l *List) (desc, version string) {
	name := map[Source]string{
		SourceUN:        "the UN Security Council Consolidated List",
		SourceOFAC:      "the OFAC SDN list",
		SourceUNVessels: "the UN 1718 vessels list",
	}[l.Source]
	if name == "" {
		name = "the " + string(l.Source) + " list"
	}
	if l.Published.IsZero() {
		return name, ""
	}
	version = l.Published.UTC().Format("2006-01-02")
	return name + " (" + version + ")", version
}

// Len returns the number of entries indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// Names returns the number of names and aliases indexed.
func (ix *Index) Names() int { return len(ix.aliases) }
