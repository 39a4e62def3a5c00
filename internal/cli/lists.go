package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"tipline/internal/audit"
	"tipline/internal/install"
	"tipline/internal/screen"
	"tipline/internal/screen/listfmt"
	"tipline/internal/store"
)

const listsUsage = `Usage:
  tipline lists --data DIR [--db DSN]                 sources, versions, dates and counts
  tipline lists import --data DIR [--db DSN] [--force] PATH...
                                                      import list files (a folder of OFAC CSV files is one set);
                                                      an identical file is skipped, an older one refused without --force
  tipline lists download --data DIR [--db DSN] [--url SOURCE=URL]...
                                                      download and import from the official addresses
  tipline lists diff --data DIR [--db DSN] SOURCE [OLD NEW]
                                                      what a version added, removed and changed
`

// officialURLs are where the listing authorities publish. The UN 1718
// Committee publishes its vessels list only as a document whose address
// changes with each edition, so it has none: give it with --url.
var officialURLs = map[string]string{
	"un": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
	// OFAC's Sanctions List Service; the set's four files are fetched from
	// this folder (www.treasury.gov/ofac/downloads redirects here).
	"ofac": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports",
}

var ofacSetFiles = []string{"SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"}

func init() {
	register(command{name: "lists", order: 5, run: runLists, usage: "" +
		"  tipline lists [import|download|diff] --data DIR [--db DSN] ...\n" +
		"                         sanctions-list versions: show, import files, download, compare"})
}

func runLists(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlagSet("lists "+sub, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, listsUsage) }
	data := fs.String("data", "", "the data folder (required)")
	dsn := fs.String("db", "", "PostgreSQL DSN; without it, SQLite in the data folder")
	force := fs.Bool("force", false, "import: put the file in force even if it is older than the version in force")
	urls := map[string]string{}
	if sub == "download" {
		fs.Func("url", "SOURCE=URL: where to download a source from (un, ofac, un-vessels)", func(v string) error {
			src, u, ok := strings.Cut(v, "=")
			if !ok || (src != "un" && src != "ofac" && src != "un-vessels") {
				return fmt.Errorf("want SOURCE=URL with SOURCE un, ofac or un-vessels, got %q", v)
			}
			urls[src] = u
			return nil
		})
	}
	if err := parseFlags(fs, args); err != nil {
		return usageError{err}
	}
	switch sub {
	case "", "import", "download", "diff":
	default:
		return usageError{withHint(fmt.Errorf("unknown lists command %q", sub), "tipline lists, lists import, lists download or lists diff")}
	}
	ctx := context.Background()
	s, err := openInstalled(ctx, *data, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	keys, err := install.Load(*data)
	if err != nil {
		return err
	}
	log, err := audit.New(s, keys.AuditKey)
	if err != nil {
		return err
	}
	switch sub {
	case "":
		return showVersions(ctx, s, stdout)
	case "import":
		if fs.NArg() == 0 {
			return usageError{withHint(errors.New("no files to import"), "tipline lists import --data DIR ../shared/data/lists/un/consolidated-2026-02-27.xml")}
		}
		for _, p := range fs.Args() {
			if err := importPath(ctx, s, log, "cli", p, *force, stdout, stderr); err != nil {
				return err
			}
		}
		return nil
	case "download":
		return download(ctx, s, log, urls, stdout, stderr)
	case "diff":
		return showDiff(ctx, s, fs.Args(), stdout)
	}
	return nil
}

// openInstalled opens the database of an existing installation, so that a
// typo in --data does not silently create a new empty one.
func openInstalled(ctx context.Context, data, dsn string) (*store.Store, error) {
	if data == "" {
		return nil, usageError{withHint(errors.New("--data is required"), "pass the data folder given to tipline init, e.g. --data ./tipline-data")}
	}
	if _, err := install.Load(data); err != nil {
		return nil, withHint(err, "create one first: tipline init --data "+data)
	}
	st, err := store.Open(ctx, data, dsn)
	return st, schemaHint(err)
}

func showVersions(ctx context.Context, s *store.Store, stdout io.Writer) error {
	vs, err := s.ListVersions(ctx)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		fmt.Fprintln(stdout, "No lists imported.")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tVERSION\tSTATE\tPUBLISHED\tIMPORTED\tPERSONS\tORGS\tVESSELS\tWALLETS\tSHA-256")
	for _, v := range vs {
		state, pub := "older", v.Published.Format("2006-01-02")
		if v.Current {
			state = "current"
		}
		if !v.Dated {
			pub = "(none; imported)"
		}
		c := v.Counts
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%.12s\n", v.Source, v.ID, state, pub,
			v.ImportedAt.Format("2006-01-02 15:04"), c[screen.KindPerson], c[screen.KindOrganization], c[screen.KindVessel], c[screen.KindWallet], v.SHA256)
	}
	return tw.Flush()
}

// importPath parses one file or OFAC folder and stores it as a new version.
// A file that fails to parse is refused before anything is written, so the
// version in force stays in force.
func importPath(ctx context.Context, s *store.Store, log *audit.Log, actor, path string, force bool, stdout, stderr io.Writer) error {
	format, err := listfmt.Detect(path)
	if err != nil {
		return withHint(fmt.Errorf("%s: %w", path, err), "give a UN consolidated XML, OFAC sdn.csv (or a folder of the OFAC CSV set), OFAC sdn.xml or the UN 1718 vessels list")
	}
	list, err := parseWithProgress(path, format, stderr)
	if err != nil {
		hint := "the file was refused and the list in force is unchanged"
		if errors.Is(err, listfmt.ErrTruncated) {
			hint += "; the file looks cut short: download it again"
		}
		return withHint(fmt.Errorf("failed to import %s: %w", path, err), hint)
	}
	detail := fmt.Sprintf("imported %s sha256 %.16s", list.Source, list.SHA256)
	if force {
		detail += " (forced)"
	}
	// The version and its audit entry are stored together, or neither is.
	audited, err := log.Attach(ctx, audit.Event{Actor: actor, Action: "setting.list", Detail: detail})
	if err != nil {
		return err
	}
	v, err := s.ImportList(audited, list, string(format), time.Now(), force)
	var older *store.OlderListError
	switch {
	case errors.Is(err, store.ErrListUnchanged):
		fmt.Fprintf(stdout, "Unchanged: %s is the same file as %s version %s, in force since %s; nothing imported.\n",
			path, v.Source, v.ID, v.ImportedAt.Format("2006-01-02 15:04"))
		return nil
	case errors.As(err, &older):
		return withHint(err, "the list in force stays in force; if you really mean to go back to this one, import it again with --force")
	case err != nil:
		return err
	}
	c := v.Counts
	fmt.Fprintf(stdout, "Imported %s as %s version %s: %d persons, %d organisations, %d vessels, %d wallets.\n",
		path, v.Source, v.ID, c[screen.KindPerson], c[screen.KindOrganization], c[screen.KindVessel], c[screen.KindWallet])
	return nil
}

// parseWithProgress parses a file, reporting bytes read to stderr when it
// is a terminal. A folder (the OFAC set) is parsed by listfmt.ParseFile,
// which reads its files together.
func parseWithProgress(path string, format listfmt.Format, stderr io.Writer) (*screen.List, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() || format == listfmt.FormatOFACCSV || !isTerminal(stderr) {
		return listfmt.ParseFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p := &progress{r: f, w: stderr, name: filepath.Base(path), total: info.Size()}
	defer p.done()
	switch format {
	case listfmt.FormatUN:
		return listfmt.ParseUN(p)
	case listfmt.FormatOFACXML:
		return listfmt.ParseOFACXML(p)
	default:
		return listfmt.ParseUNVessels(p)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progress counts the bytes read through it and redraws one status line,
// at most ten times a second.
type progress struct {
	r           io.Reader
	w           io.Writer
	name        string
	total, read int64
	last        time.Time
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if now := time.Now(); now.Sub(p.last) > 100*time.Millisecond {
		p.last = now
		fmt.Fprintf(p.w, "\rreading %s: %.1f / %.1f MB", p.name, float64(p.read)/1e6, float64(p.total)/1e6)
	}
	return n, err
}

func (p *progress) done() {
	fmt.Fprintf(p.w, "\rreading %s: %.1f MB, done\n", p.name, float64(p.read)/1e6)
}

// download fetches each source into a temporary folder and imports it.
// Nothing is stored until a download is complete and parses.
func download(ctx context.Context, s *store.Store, log *audit.Log, urls map[string]string, stdout, stderr io.Writer) error {
	for src, u := range officialURLs {
		if _, ok := urls[src]; !ok {
			urls[src] = u
		}
	}
	dir, err := os.MkdirTemp("", "tipline-lists-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	client := &http.Client{Timeout: 10 * time.Minute}
	for _, src := range listSources {
		u, ok := urls[src]
		if !ok {
			continue
		}
		path, err := fetchSource(ctx, client, src, u, dir, stderr)
		if err != nil {
			return err
		}
		if err := importPath(ctx, s, log, "cli", path, false, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}

// listSources are the sources Tipline downloads, in order.
var listSources = []string{"un", "ofac", "un-vessels"}

// fetchSource downloads one source into dir and returns the path to import:
// a file, or for OFAC a folder of its set's files.
func fetchSource(ctx context.Context, client *http.Client, src, u, dir string, stderr io.Writer) (string, error) {
	path := filepath.Join(dir, src)
	if src != "ofac" {
		return path, fetch(ctx, client, u, path, stderr)
	}
	if err := os.Mkdir(path, 0o700); err != nil {
		return "", err
	}
	for i, name := range ofacSetFiles {
		err := fetch(ctx, client, strings.TrimSuffix(u, "/")+"/"+name, filepath.Join(path, strings.ToLower(name)), stderr)
		if err != nil && i == 0 {
			return "", err // sdn.csv is the list; the others only complete it
		}
		if err != nil {
			fmt.Fprintf(stderr, "warning: %v; importing the OFAC set without it\n", err)
		}
	}
	return path, nil
}

func fetch(ctx context.Context, client *http.Client, url, path string, stderr io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("bad download address %q: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return withHint(fmt.Errorf("failed to download %s: %w", url, err), "without a network, download the files elsewhere and use tipline lists import")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return withHint(fmt.Errorf("failed to download %s: %s", url, resp.Status), "check the address, or give another with --url SOURCE=URL")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var body io.Reader = resp.Body
	if isTerminal(stderr) {
		p := &progress{r: resp.Body, w: stderr, name: url, total: resp.ContentLength}
		defer p.done()
		body = p
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return fmt.Errorf("failed to download %s: %w", url, err)
	}
	return f.Close()
}

func showDiff(ctx context.Context, s *store.Store, args []string, stdout io.Writer) error {
	if len(args) != 1 && len(args) != 3 {
		return usageError{withHint(errors.New("lists diff takes a source and, optionally, two version ids"), "tipline lists diff --data DIR un   (versions from: tipline lists --data DIR)")}
	}
	var oldID, newID string
	if len(args) == 3 {
		oldID, newID = args[1], args[2]
	}
	d, err := s.DiffListVersions(ctx, screen.Source(args[0]), oldID, newID)
	if err != nil {
		return withHint(err, "see the versions with: tipline lists --data DIR")
	}
	fmt.Fprintf(stdout, "%s: %s (%s) -> %s (%s): %d added, %d removed, %d changed\n", args[0],
		d.Old.ID, d.Old.Published.Format("2006-01-02"), d.New.ID, d.New.Published.Format("2006-01-02"), len(d.Added), len(d.Removed), len(d.Changed))
	for _, part := range []struct {
		sign string
		ids  []string
	}{{"+", d.Added}, {"-", d.Removed}, {"~", d.Changed}} {
		for _, id := range part.ids {
			fmt.Fprintf(stdout, "%s %s\n", part.sign, id)
		}
	}
	return nil
}
