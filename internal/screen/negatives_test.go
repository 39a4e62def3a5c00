package screen_test

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/screen/translit"
	"tipline/internal/testenv"
)

// The tip-line negative set: names like those reports carry, on no list
// (testdata/tipline-negatives/README.md).
const tiplineDir = "testdata/tipline-negatives/"

var writeTiplineNegatives = flag.Bool("negatives.write", false,
	"rebuild testdata/tipline-negatives/names.csv from persons.csv and organisations.txt, leaving out what the lists carry")

// fullSnapshots are every list file of ../shared/data/lists, the older
// versions included: a name any of them carries is no negative.
var fullSnapshots = []string{
	"../../../shared/data/lists/un/consolidated-2026-02-27.xml",
	"../../../shared/data/lists/un/consolidated-2018-10-29.xml",
	"../../../shared/data/lists/ofac/2024-05-03/sdn.csv",
	"../../../shared/data/lists/ofac/2023-01-05/sdn.csv",
	"../../../shared/data/lists/ofac/2021-07-full",
	"../../../shared/data/lists/ofac/xml-2018/consolidated-nonsdn-2018-04-06.xml",
	"../../../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html",
}

// negativeName is one row of names.csv. Every written form of one person
// shares a group, and a group lies wholly in one half (group % 2).
type negativeName struct {
	name, class, script, form string
	group                     int
}

func (n negativeName) half() int { return n.group % 2 }

// TestTiplineNegativesOnNoList checks that no name of the set is, once
// normalised and with its words in any order, a name some list carries
// (such a name is a hit, not a false positive). With -negatives.write it
// rebuilds names.csv so, dropping every form of a person any of whose forms
// is listed, and writes what it dropped to left-out.csv.
func TestTiplineNegativesOnNoList(t *testing.T) {
	listed := map[string]string{}
	for _, p := range fullSnapshots {
		testenv.NeedFile(t, p)
		l, err := listfmt.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l.Entries {
			for _, n := range e.Names {
				listed[wordSet(n.Text)] = string(e.Source) + ":" + e.ID + " " + n.Text
			}
		}
	}
	if *writeTiplineNegatives {
		rebuildTiplineNegatives(t, listed)
	}
	rows := readTiplineNegatives(t)
	if len(rows) < 1000 {
		t.Errorf("names.csv holds %d names; the set needs at least 1,000", len(rows))
	}
	for _, r := range rows {
		if e, ok := listed[wordSet(r.name)]; ok {
			t.Errorf("%q (%s) is listed: %s", r.name, r.class, e)
		}
	}
}

// wordSet is a name's normalised words, sorted.
func wordSet(name string) string {
	w := slices.Clone(translit.Analyze(name).Tokens)
	sort.Strings(w)
	return strings.Join(w, " ")
}

func rebuildTiplineNegatives(t *testing.T, listed map[string]string) {
	var cand []negativeName
	for _, r := range readCSV(t, tiplineDir+"persons.csv") {
		g, err := strconv.Atoi(r[4])
		if err != nil {
			t.Fatal(err)
		}
		cand = append(cand, negativeName{r[0], r[1], r[2], r[3], g})
	}
	group := 100000
	for _, o := range readTiplineOrganisations(t) {
		group++
		o.group = group
		cand = append(cand, o)
	}
	bad := map[int]string{}
	for _, c := range cand {
		if e, ok := listed[wordSet(c.name)]; ok {
			bad[c.group] = fmt.Sprintf("%s = %s", c.name, e)
		}
	}
	write := func(path string, keep bool) {
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(out)
		head := []string{"name", "class", "script", "form", "group"}
		if !keep {
			head = append(head, "listed")
		}
		w.Write(head)
		for _, c := range cand {
			why, isBad := bad[c.group]
			if isBad == keep {
				continue
			}
			row := []string{c.name, c.class, c.script, c.form, strconv.Itoa(c.group)}
			if !keep {
				row = append(row, why)
			}
			w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write(tiplineDir+"names.csv", true)
	write(tiplineDir+"left-out.csv", false)
	t.Logf("%d candidate names in %d groups; %d groups left out as listed", len(cand), group, len(bad))
}

// readTiplineOrganisations reads organisations.txt in order: a "## class |
// script" heading starts a section; other "#" lines and blank lines are
// skipped.
func readTiplineOrganisations(t *testing.T) []negativeName {
	f, err := os.Open(tiplineDir + "organisations.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []negativeName
	class, script := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "## "):
			c, s, _ := strings.Cut(strings.TrimPrefix(line, "## "), " | ")
			class, script = strings.TrimSpace(c), strings.TrimSpace(s)
		case line == "" || strings.HasPrefix(line, "#"):
		default:
			out = append(out, negativeName{name: line, class: class, script: script, form: "general knowledge"})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readCSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(fmt.Errorf("%s: %w", path, err))
	}
	return rows[1:]
}

func readTiplineNegatives(t *testing.T) []negativeName {
	var out []negativeName
	for _, r := range readCSV(t, tiplineDir+"names.csv") {
		g, err := strconv.Atoi(r[4])
		if err != nil {
			t.Fatal(fmt.Errorf("names.csv: group %q: %w", r[4], err))
		}
		out = append(out, negativeName{r[0], r[1], r[2], r[3], g})
	}
	return out
}

// tiplineResult is the best score of each name of the set and what it hit.
type tiplineResult struct {
	rows []negativeName
	best []float64
	what []string
}

func screenTiplineNegatives(t *testing.T, ix *screen.Index) tiplineResult {
	return screenTiplineNegativesBy(readTiplineNegatives(t), func(n negativeName) screen.Result {
		return ix.Screen(n.name, screen.Options{Threshold: 1e-9, Limit: 1})
	})
}

// screenTiplineNegativesBy screens each row with screenOne, which returns
// the row's hits best first.
func screenTiplineNegativesBy(rows []negativeName, screenOne func(negativeName) screen.Result) tiplineResult {
	r := tiplineResult{rows: rows}
	for _, n := range r.rows {
		res := screenOne(n)
		best, what := 0.0, ""
		if len(res.Hits) > 0 {
			best, what = res.Hits[0].Score, res.Hits[0].Matched
		}
		r.best = append(r.best, best)
		r.what = append(r.what, fmt.Sprintf("%s %q -> %q (%.3f)", n.class, n.name, what, best))
	}
	return r
}

// fp is the false-positive rate at th on one half (-1: both) among the rows
// keep accepts.
func (r tiplineResult) fp(th float64, half int, keep func(negativeName) bool) (float64, int) {
	fp, n := 0, 0
	for i, row := range r.rows {
		if half >= 0 && row.half() != half || keep != nil && !keep(row) {
			continue
		}
		n++
		if r.best[i] >= th {
			fp++
		}
	}
	return float64(fp) / float64(max(n, 1)), n
}

// table logs the false positives at th on half by class and by script.
func (r tiplineResult) table(t *testing.T, th float64, half int) {
	var classes, scripts []string
	for _, row := range r.rows {
		if !slices.Contains(classes, row.class) {
			classes = append(classes, row.class)
		}
		if !slices.Contains(scripts, row.script) {
			scripts = append(scripts, row.script)
		}
	}
	for _, c := range classes {
		f, n := r.fp(th, half, func(x negativeName) bool { return x.class == c })
		t.Logf("  tip-line negatives, half %d, class %-14s false positives %.4f of %d", half, c, f, n)
	}
	for _, s := range scripts {
		f, n := r.fp(th, half, func(x negativeName) bool { return x.script == s })
		t.Logf("  tip-line negatives, half %d, script %-13s false positives %.4f of %d", half, s, f, n)
	}
	f, n := r.fp(th, half, nil)
	t.Logf("  tip-line negatives, half %d, ALL                   false positives %.4f of %d", half, f, n)
}
