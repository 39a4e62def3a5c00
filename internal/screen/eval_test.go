package screen_test

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"tipline/internal/screen"
	"tipline/internal/screen/translit"
	"tipline/internal/testenv"
)

// The goals of screening (docs/screening.md), which the test half must meet
// at DefaultThreshold.
const (
	goalRecall = 0.98
	goalFP     = 0.02
)

// calibrationFP is the false-positive rate the threshold must stay under on
// the calibration half: the goal (2%) less a margin for the sampling error
// between halves (about 0.2% at 2% over 5,600 names), which the plain goal
// once exceeded on the test half.
const calibrationFP = 0.0175

// calibrationRecall is the recall@10 the threshold must keep on the
// calibration half: the goal (0.98) plus the 0.003 by which the test half
// falls short of the calibration half. The gap was 0.002 until recall fixes
// were designed from the calibration half's misses, which raise that half's
// recall by construction (0.9822 → 0.9836 against 0.9801 → 0.9806 on the
// test half, at 0.845); docs/screening.md says when it was changed.
const calibrationRecall = 0.983

var evalFull = flag.Bool("eval.full", false, "evaluate on every negative name, not one in ten")

const yente = "../../../shared/data/eval/yente/"

// evalQuery is one positive query: the hits it got (top ten, every score
// kept) and which entries count as the right answer.
type evalQuery struct {
	set   string
	query string
	hits  []screen.Hit
	right func(h screen.Hit) bool
	// entry is the listing the query was made from, if one was; born the
	// birth date the query's source gives (yente), if any.
	entry *screen.Entry
	born  string
}

// TestEvaluation measures recall@10 and the false-positive rate at the
// default threshold (see docs/screening.md). Queries alternate between a
// calibration half, on which the threshold is chosen, and a test half, on
// which the figures are reported.
//
//	go test -run TestEvaluation -v ./internal/screen/ [-eval.full]
func TestEvaluation(t *testing.T) {
	lists, ix := snapshots(t)
	var all []evalQuery
	all = append(all, heldOutAliases(ix, lists)...)
	all = append(all, spellingVariants(ix, lists)...)
	all = append(all, yentePositives(t, ix, lists)...)
	// pos are the headline positives: every query a name matcher can be
	// expected to find (see aliasClass for the classes left out).
	var pos []evalQuery
	for _, q := range all {
		if !excluded(q.set) {
			pos = append(pos, q)
		}
	}
	var negTop []float64 // the best score of each negative query
	var negHit []string  // and what it hit, for -eval.fp
	step := 10
	if *evalFull {
		step = 1
	}
	for _, f := range []string{"negatives_global.csv", "negatives_us.csv", "positives_us_congress_untreated.csv"} {
		for i, name := range readNames(t, yente+f) {
			if i%step != 0 && !strings.Contains(f, "congress") {
				continue
			}
			r := ix.Screen(name, screen.Options{Threshold: 1e-9, Limit: 1})
			best, what := 0.0, ""
			if len(r.Hits) > 0 {
				best, what = r.Hits[0].Score, r.Hits[0].Matched
			}
			negTop = append(negTop, best)
			negHit = append(negHit, fmt.Sprintf("%q -> %q (%.3f)", name, what, best))
		}
	}
	tip := screenTiplineNegatives(t, ix)
	recall := func(qs []evalQuery, th float64, half int) (float64, int) {
		ok, n := 0, 0
		for i, q := range qs {
			if half >= 0 && i%2 != half {
				continue
			}
			n++
			for _, h := range q.hits {
				if h.Score >= th && q.right(h) {
					ok++
					break
				}
			}
		}
		return float64(ok) / float64(max(n, 1)), n
	}
	fpRate := func(th float64, half int) (float64, int) {
		fp, n := 0, 0
		for i, s := range negTop {
			if half >= 0 && i%2 != half {
				continue
			}
			n++
			if s >= th {
				fp++
			}
		}
		return float64(fp) / float64(max(n, 1)), n
	}
	// Calibration on half 0: the highest threshold — the fewest tip-line
	// false positives — whose headline recall is at least
	// calibrationRecall and whose yente false positives stay under
	// calibrationFP.
	bestTh, bestRecall, bestFP, bestTip := 0.0, -1.0, 0.0, 0.0
	for i := 0; i <= 38; i++ {
		th := 0.800 + 0.005*float64(i)
		th = math.Round(th*1000) / 1000
		fp, _ := fpRate(th, 0)
		r, _ := recall(pos, th, 0)
		if fp >= calibrationFP || r < calibrationRecall {
			continue
		}
		bestTh, bestRecall, bestFP = th, r, fp
		bestTip, _ = tip.fp(th, 0, nil)
	}
	t.Logf("calibration half: chosen threshold %.3f (recall@10 %.4f, false positives %.4f, tip-line false positives %.4f); DefaultThreshold is %.3f",
		bestTh, bestRecall, bestFP, bestTip, screen.DefaultThreshold)
	th := screen.DefaultThreshold
	bySet := map[string][]evalQuery{}
	var sets []string
	for _, q := range all {
		if _, ok := bySet[q.set]; !ok {
			sets = append(sets, q.set)
		}
		bySet[q.set] = append(bySet[q.set], q)
	}
	for _, s := range sets {
		r, n := recall(bySet[s], th, 1)
		t.Logf("test half: %-34s recall@10 %.4f over %d queries", s, r, n)
	}
	rc, _ := recall(pos, th, 0)
	fc, _ := fpRate(th, 0)
	t.Logf("calibration half at %.3f: recall@10 %.4f, false positives %.4f", th, rc, fc)
	r, n := recall(pos, th, 1)
	fp, nn := fpRate(th, 1)
	t.Logf("test half: ALL POSITIVES recall@10 %.4f over %d queries; false positives %.4f over %d names on no list", r, n, fp, nn)
	ra, na := recall(all, th, 1)
	t.Logf("test half: with the excluded classes recall@10 %.4f over %d queries", ra, na)
	for _, x := range []float64{0.84, 0.845, 0.85, 0.855, 0.86, 0.87, 0.88, 0.89, 0.9, 0.92, 0.95} {
		r, _ := recall(pos, x, 1)
		f, _ := fpRate(x, 1)
		ft, _ := tip.fp(x, 1, nil)
		rc, _ := recall(pos, x, 0)
		fc, _ := fpRate(x, 0)
		ftc, _ := tip.fp(x, 0, nil)
		t.Logf("  threshold %.3f: test half recall@10 %.4f, false positives %.4f, tip-line %.4f; calibration half %.4f, %.4f, %.4f", x, r, f, ft, rc, fc, ftc)
	}
	// The tip-line negatives (testdata/tipline-negatives): names like those
	// reports carry, on no list, by class and script.
	tip.table(t, th, 0)
	tip.table(t, th, 1)
	// Failures are listed from the calibration half only, so that the
	// matcher is not designed from the half its figures are reported on;
	// -eval.testhalf lists the test half's instead (say so if you use it).
	listHalf := 0
	if *verboseTestHalf {
		listHalf = 1
	}
	if *verboseMisses {
		for i, q := range pos {
			if i%2 == listHalf && !slices.ContainsFunc(q.hits, func(h screen.Hit) bool { return h.Score >= th && q.right(h) }) {
				t.Logf("miss (half %d): %s %q %s", listHalf, q.set, q.query, describeHits(q))
			}
		}
	}
	if *verboseFP {
		for i, s := range negTop {
			if i%2 == listHalf && s >= th {
				t.Logf("false positive (half %d): %s", listHalf, negHit[i])
			}
		}
		for i, row := range tip.rows {
			if row.half() == listHalf && tip.best[i] >= th {
				t.Logf("false positive (half %d): tip-line %s", listHalf, tip.what[i])
			}
		}
	}
	corroborationFigures(t, ix, pos, tip, th)
	if r < goalRecall || fp > goalFP {
		t.Errorf("test half at %.3f: recall@10 %.4f, false positives %.4f; the goals are recall@10 >= %.2f and false positives <= %.2f",
			th, r, fp, goalRecall, goalFP)
	}
}

var (
	verboseMisses = flag.Bool("eval.misses", false, "log the headline positives that were missed")
	verboseFP     = flag.Bool("eval.fp", false, "log the negatives that reached the threshold")
	// verboseTestHalf switches -eval.misses and -eval.fp to the test half.
	verboseTestHalf = flag.Bool("eval.testhalf", false, "list the test half's misses and false positives instead of the calibration half's")
)

// describeHits shows a missed query's best hit and the right entry's score.
func describeHits(q evalQuery) string {
	var b strings.Builder
	for i, h := range q.hits {
		if i == 0 || q.right(h) {
			fmt.Fprintf(&b, " [%q %.3f right=%v]", h.Matched, h.Score, q.right(h))
		}
	}
	return b.String()
}

func top10(hits []screen.Hit) []screen.Hit {
	if len(hits) > 10 {
		return hits[:10]
	}
	return hits
}

func isEntry(key string, sameAs []string) func(h screen.Hit) bool {
	return func(h screen.Hit) bool {
		k := string(h.Source) + ":" + h.ID
		return k == key || slices.Contains(sameAs, k) || slices.Contains(h.SameAs, key)
	}
}

// heldOutAliases queries every alias (not the primary name) with the alias
// itself hidden from the index, and sorts each query into a class by how it
// relates to the entry's other names (aliasClass). Only variants can be found
// by a name matcher; the other classes are reported on their own.
func heldOutAliases(ix *screen.Index, lists []*screen.List) []evalQuery {
	var out []evalQuery
	for _, l := range lists {
		for i := range l.Entries {
			e := &l.Entries[i]
			for ni := 1; ni < len(e.Names); ni++ {
				a := translit.Analyze(e.Names[ni].Text)
				if len(a.Tokens) == 0 {
					continue
				}
				dup := false
				for nj, other := range e.Names {
					dup = dup || (nj != ni && translit.Analyze(other.Text).Text == a.Text)
				}
				if dup {
					continue // another name is the same once normalised: nothing is held out
				}
				set := aliasClass(e, ni)
				hits := ix.NameHitsHoldingOut(e.Names[ni].Text, e.Key(), ni)
				out = append(out, evalQuery{set: set, query: e.Names[ni].Text, hits: top10(hits), right: isEntry(e.Key(), nil), entry: e})
			}
		}
	}
	return out
}

// The classes of held-out aliases. Only the first is a positive in the
// headline recall: the others cannot be told from their entry by spelling.
const (
	setVariant   = "held-out variant aliases"
	setPartial   = "held-out aliases, some words shared (excluded)"
	setUnrelated = "held-out aliases, nothing shared (excluded)"
)

// excluded reports the query classes left out of the headline figures.
func excluded(set string) bool { return set == setPartial || set == setUnrelated }

// aliasClass sorts alias ni of e by the rule in docs/screening.md, which was
// fixed before looking at which queries the matcher misses. Two words
// correspond when they are equal, have the same translit.LatinKey, have the
// same translit.KoreanKey (both romanised Korean), or, both of at least four
// letters and not numbers, are one edit apart (two for eight letters or more).
// The alias is a variant of another name of the entry when they share a key
// (translit.Keys: spacing, case, punctuation, romanisation), or when, pairing
// words one to one, k words correspond with k equal to the number of words
// of either name (one is the other reordered, or a part of it) and k >= 2,
// or both names are one word. It shares some words when at least one word
// corresponds, and nothing otherwise.
func aliasClass(e *screen.Entry, ni int) string {
	ka := translit.Keys(e.Names[ni].Text)
	class := setUnrelated
	for nj, other := range e.Names {
		if nj == ni {
			continue
		}
		kb := translit.Keys(other.Text)
		for _, x := range ka {
			for _, y := range kb {
				if x == y {
					return setVariant
				}
				wx, wy := strings.Fields(x), strings.Fields(y)
				k := correspondingWords(wx, wy)
				if k > 0 && (k == len(wx) || k == len(wy)) && (k >= 2 || len(wx) == 1 && len(wy) == 1) {
					return setVariant
				}
				if k > 0 {
					class = setPartial
				}
			}
		}
	}
	return class
}

// correspondingWords pairs the words of a with those of b one to one,
// greedily in order, and counts the pairs that correspond.
func correspondingWords(a, b []string) int {
	used := make([]bool, len(b))
	k := 0
	for _, x := range a {
		for j, y := range b {
			if !used[j] && wordsCorrespond(x, y) {
				used[j] = true
				k++
				break
			}
		}
	}
	return k
}

func wordsCorrespond(x, y string) bool {
	if x == y {
		return true
	}
	if isNumber(x) || isNumber(y) {
		return false
	}
	if translit.LatinKey(x) == translit.LatinKey(y) {
		return true
	}
	if translit.IsKoreanRomanization(x) && translit.IsKoreanRomanization(y) && translit.KoreanKey(x) == translit.KoreanKey(y) {
		return true
	}
	rx, ry := []rune(x), []rune(y)
	n := min(len(rx), len(ry))
	if n < 4 {
		return false
	}
	limit := 1
	if n >= 8 {
		limit = 2
	}
	return editDistance(rx, ry) <= limit
}

func isNumber(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// editDistance is the Levenshtein distance between two words.
func editDistance(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// spellingVariants alters the primary names of one entry in seven: a letter
// dropped, a letter doubled, words reversed, words joined or hyphenated, and
// all in lower case without punctuation.
func spellingVariants(ix *screen.Index, lists []*screen.List) []evalQuery {
	var out []evalQuery
	n := 0
	for _, l := range lists {
		for i := range l.Entries {
			e := &l.Entries[i]
			if n++; n%7 != 0 {
				continue
			}
			words := strings.Fields(e.PrimaryName())
			long := 0
			for j, w := range words {
				if len(w) > len(words[long]) {
					long = j
				}
			}
			variant := func(kind string, f func(ws []string) string) {
				q := f(slices.Clone(words))
				if q == "" || q == e.PrimaryName() {
					return
				}
				r := ix.Screen(q, screen.Options{Threshold: 1e-9, Limit: 10})
				out = append(out, evalQuery{set: "variant: " + kind, query: q, hits: r.Hits, right: isEntry(e.Key(), nil), entry: e})
			}
			variant("letter dropped", func(ws []string) string {
				w := ws[long]
				if len(w) < 6 {
					return ""
				}
				ws[long] = w[:len(w)/2] + w[len(w)/2+1:]
				return strings.Join(ws, " ")
			})
			variant("letter doubled", func(ws []string) string {
				w := ws[long]
				if len(w) < 5 {
					return ""
				}
				ws[long] = w[:len(w)/2] + w[len(w)/2:len(w)/2+1] + w[len(w)/2:]
				return strings.Join(ws, " ")
			})
			variant("word order", func(ws []string) string {
				if e.Kind != screen.KindPerson || len(ws) < 2 {
					return ""
				}
				slices.Reverse(ws)
				return strings.Trim(strings.Join(ws, " "), ", ")
			})
			variant("joined or hyphenated", func(ws []string) string {
				if len(ws) < 2 {
					return ""
				}
				if n%2 == 0 {
					return strings.Join(ws[:2], "-") + " " + strings.Join(ws[2:], " ")
				}
				return strings.Join(ws[:2], "") + " " + strings.Join(ws[2:], " ")
			})
			variant("lower case, no punctuation", func(ws []string) string {
				return strings.ToLower(strings.NewReplacer(",", "", ".", "", "(", "", ")", "").Replace(strings.Join(ws, " ")))
			})
		}
	}
	return out
}

// yentePositives are UN persons as yente's test set spells them, clean and
// misspelt. The right answer is a UN person with the same date of birth;
// rows whose date matches no UN person (delisted since) are left out.
func yentePositives(t *testing.T, ix *screen.Index, lists []*screen.List) []evalQuery {
	byDOB := map[string][]string{}
	for _, l := range lists {
		for _, e := range l.Entries {
			if e.Source == screen.SourceUN && e.Kind == screen.KindPerson {
				for _, d := range e.BirthDates {
					// The UN marks approximate dates ("1968~"); yente
					// writes the date alone.
					d = strings.TrimSuffix(d, "~")
					byDOB[d] = append(byDOB[d], e.Key())
				}
			}
		}
	}
	var out []evalQuery
	for _, f := range []string{"positives_un_untreated.csv", "positives_un_treated.csv"} {
		rows := readRows(t, yente+f)
		left := 0
		for _, row := range rows {
			keys := byDOB[row[5]]
			if len(keys) == 0 {
				left++
				continue
			}
			r := ix.Screen(row[0], screen.Options{Threshold: 1e-9, Limit: 10})
			out = append(out, evalQuery{set: "yente " + strings.TrimSuffix(f, ".csv"), query: row[0], hits: r.Hits,
				right: func(h screen.Hit) bool {
					return slices.ContainsFunc(keys, func(k string) bool { return isEntry(k, nil)(h) })
				}, born: row[5]})
		}
		t.Logf("%s: %d rows, %d left out (date of birth on no UN person in this version)", f, len(rows), left)
	}
	return out
}

func readRows(t *testing.T, path string) [][]string {
	testenv.NeedFile(t, path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(fmt.Errorf("%s: %w", path, err))
	}
	return rows[1:] // header
}

func readNames(t *testing.T, path string) []string {
	var out []string
	for _, r := range readRows(t, path) {
		out = append(out, r[0])
	}
	return out
}
