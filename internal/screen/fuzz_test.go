package screen_test

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
)

// The text of a report is screened as an analyst opens it: whatever a source
// wrote must screen without panicking and give a well-formed result.

var fuzzIndex = sync.OnceValues(func() (*screen.Index, error) {
	var lists []*screen.List
	for _, p := range []string{"listfmt/testdata/un-small.xml", "listfmt/testdata/ofac-small.xml", "listfmt/testdata/vessels-small.html"} {
		l, err := listfmt.ParseFile(p)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	return screen.NewIndex(lists...), nil
})

var screenSeeds = []string{
	"Met the tanker CHON MYONG 1 (IMO 8712362) off Nampo; paid to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"선박 천명 1호, 김정은", "Судно «Ji Song 6», капитан Умаров Доку", `"Korea Haegumgang Trading" M/V ji song 6`,
	"8712362", "445112000", "", "   ", "\xff\xfe", strings.Repeat("Kim Chol ", 200),
}

func FuzzScreen(f *testing.F) {
	ix, err := fuzzIndex()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range screenSeeds {
		f.Add(s, 0.0, 10)
	}
	f.Add("Kim", 0.5, -1)
	f.Fuzz(func(t *testing.T, query string, threshold float64, limit int) {
		if threshold < 0 || threshold > 1 || threshold != threshold {
			return
		}
		r := ix.Screen(query, screen.Options{Threshold: threshold, Limit: limit})
		if threshold == 0 {
			threshold = screen.DefaultThreshold
		}
		if limit == 0 {
			limit = screen.DefaultLimit
		}
		if limit > 0 && len(r.Hits) > limit {
			t.Fatalf("%d hits, limit %d", len(r.Hits), limit)
		}
		seen := map[string]bool{}
		for i, h := range r.Hits {
			if h.Score < threshold || h.Score > 1 {
				t.Fatalf("hit %s:%s scores %v, outside [%v, 1]", h.Source, h.ID, h.Score, threshold)
			}
			if i > 0 && h.Score > r.Hits[i-1].Score {
				t.Fatalf("hits not best first: %v after %v", h.Score, r.Hits[i-1].Score)
			}
			key := string(h.Source) + ":" + h.ID
			if seen[key] {
				t.Fatalf("entry %s hit twice", key)
			}
			seen[key] = true
			if h.Why == "" || h.Matched == "" {
				t.Fatalf("hit %s without its explanation: %+v", key, h)
			}
		}
	})
}

func FuzzNameCandidates(f *testing.F) {
	for _, s := range screenSeeds {
		f.Add(s, 0, 0)
	}
	f.Add("IMO 8712362 Chon Myong", 0, 11)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		var skip [][2]int
		if 0 <= start && start <= end && end <= len(text) {
			skip = [][2]int{{start, end}}
		}
		got := screen.NameCandidates(text, skip)
		if len(got) > 48 {
			t.Fatalf("%d candidates: a pasted report could make a query arbitrarily slow", len(got))
		}
		for _, c := range got {
			if strings.TrimSpace(c) == "" {
				t.Fatalf("empty candidate in %q", got)
			}
			if utf8.ValidString(text) && !utf8.ValidString(c) {
				t.Fatalf("candidate %q of valid text is not valid UTF-8", c)
			}
		}
	})
}
