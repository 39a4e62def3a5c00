package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"tipline/internal/screen"
	"tipline/internal/store"
)

const importHint = "import lists first: tipline lists import --data DIR ../shared/data/lists/un/consolidated-2026-02-27.xml ../shared/data/lists/ofac/2024-05-03/sdn.csv ../shared/data/lists/un-1718-vessels/designated-vessels-2020-06-04.html"

// runScreen screens each query (the arguments, or one per line of standard
// input) against the lists in force. It exits 0 whenever it ran, hits or
// not: an empty hit list is an answer, not a failure.
func init() {
	register(command{name: "screen", order: 6, run: runScreen, usage: "" +
		"  tipline screen --data DIR [--db DSN] [--json] [--limit N] [--threshold T] [--possible P] [QUERY...]\n" +
		"                         screen names, identifiers or sentences (or stdin lines) against the lists"})
}

func runScreen(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("screen", stderr)
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	asJSON := fs.Bool("json", false, "one JSON object per query per line")
	limit := fs.Int("limit", screen.DefaultLimit, "the most hits to show per query")
	threshold := fs.Float64("threshold", screen.DefaultThreshold, "the lowest score reported as a hit, 0 to 1")
	possible := fs.Float64("possible", screen.DefaultPossible, "the lowest score listed as a possible match (not a hit), under --threshold; 0 for none")
	if err := parseFlags(fs, args); err != nil {
		return usageError{err}
	}
	if *threshold <= 0 || *threshold > 1 {
		return usageError{withHint(fmt.Errorf("--threshold %v is outside (0, 1]", *threshold), fmt.Sprintf("the default is %v", screen.DefaultThreshold))}
	}
	if *possible < 0 || *possible > 0 && *possible >= *threshold {
		return usageError{withHint(fmt.Errorf("--possible %v must be 0 or under --threshold %v", *possible, *threshold), fmt.Sprintf("the default is %v; 0 lists no possible matches", screen.DefaultPossible))}
	}
	if *limit <= 0 {
		return usageError{withHint(fmt.Errorf("--limit %d must be at least 1", *limit), "e.g. --limit 10")}
	}
	ctx := context.Background()
	s, err := openInstalled(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	lists, _, err := s.CurrentLists(ctx)
	s.Close()
	if errors.Is(err, store.ErrNoLists) {
		return withHint(err, importHint)
	}
	if err != nil {
		return err
	}
	ix := screen.NewIndex(lists...)
	opt := screen.Options{Threshold: *threshold, Limit: *limit, Possible: *possible}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	emit := func(q string) error {
		res := ix.Screen(q, opt)
		if *asJSON {
			b, err := json.Marshal(res)
			if err != nil {
				return err
			}
			out.Write(append(b, '\n'))
			return nil
		}
		printResult(out, res)
		return nil
	}
	if fs.NArg() > 0 {
		for _, q := range fs.Args() {
			if err := emit(q); err != nil {
				return err
			}
		}
		return nil
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if err := emit(sc.Text()); err != nil {
			return err
		}
		if !*asJSON {
			out.Flush() // answer each line as it comes when used interactively
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("failed to read queries from standard input: %w", err)
	}
	return nil
}

func printResult(w io.Writer, res screen.Result) {
	fmt.Fprintf(w, "%s\n", res.Query)
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "  no hits")
	}
	printHits(w, res.Hits)
	if len(res.Possible) > 0 {
		fmt.Fprintln(w, "  possible matches (under the threshold, not hits):")
		printHits(w, res.Possible)
	}
	fmt.Fprintln(w)
}

func printHits(w io.Writer, hits []screen.Hit) {
	if len(hits) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  SCORE\tSOURCE:ID\tKIND\tNAME\tMATCHED\tSAME AS")
	for _, h := range hits {
		fmt.Fprintf(tw, "  %.3f\t%s:%s\t%s\t%s\t%s\t%s\n", h.Score, h.Source, h.ID, h.Kind, h.Name, h.Matched, strings.Join(h.SameAs, " "))
	}
	tw.Flush()
	for _, h := range hits {
		fmt.Fprintf(w, "  %s:%s — %s\n", h.Source, h.ID, h.Why)
	}
}
