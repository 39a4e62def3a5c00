package store_test

// Queue benchmarks on a store of 100,000 tips, on SQLite and (when
// TIPLINE_TEST_POSTGRES is set) PostgreSQL:
//
//	go test ./internal/store/ -run '^$' -bench Queue -benchtime 200x
//
// Every tip carries the same sealed content blob and the same wrapped key:
// sealing 100,000 reports to post-quantum keys would take minutes and these
// benchmarks measure the store, not the cryptography. Seeding goes through
// CommitTips in batches; the clear-text fields CommitTips does not take
// (assignee, priority, labels) are set afterwards with bulk SQL.
//
// The seeded database is kept between runs, keyed by a hash of the
// migrations: a SQLite file under os.TempDir() and a PostgreSQL schema named
// bench_<hash>. A changed migration (a new index, say) seeds afresh.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/seal"
	"tipline/internal/store"
	"tipline/internal/tip"
)

const (
	benchTips      = 100_000
	benchBatch     = 5_000
	benchHolder    = "user:bench-analyst"
	benchLabel     = "follow-up"
	benchSeedRound = "1" // bump when the seed below changes
)

// benchStatuses spreads tips over the built-in statuses roughly as a
// long-running tip line would: most of the backlog is closed.
var benchStatuses = []struct {
	status tip.Status
	weight int
}{
	{tip.StatusNew, 10}, {tip.StatusTriage, 8}, {tip.StatusInvestigating, 10}, {tip.StatusCorroborated, 5},
	{tip.StatusReferred, 4}, {tip.StatusClosedNoAction, 50}, {tip.StatusClosedDup, 13},
}

var (
	benchMu     sync.Mutex
	benchStores = map[string]*store.Store{}
	benchDSNs   = map[string]string{} // for the raw queries of BenchmarkQueueProposed
)

// benchBackends runs fn as a sub-benchmark on each backend with a store of
// benchTips tips, seeded once per process (and cached between runs).
func benchBackends(b *testing.B, fn func(b *testing.B, s *store.Store)) {
	if testing.Short() {
		b.Skip("seeding 100,000 tips is too heavy for -short")
	}
	names := []string{"sqlite"}
	if os.Getenv("TIPLINE_TEST_POSTGRES") != "" {
		names = append(names, "postgres")
	} else {
		b.Log("PostgreSQL benchmarks skipped: TIPLINE_TEST_POSTGRES is not set")
	}
	for _, name := range names {
		b.Run(name, func(b *testing.B) { fn(b, seededStore(b, name)) })
	}
}

func seededStore(b *testing.B, name string) *store.Store {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchStores[name]; ok {
		return s
	}
	hash := schemaHash(b)
	var s *store.Store
	var err error
	if name == "sqlite" {
		dir := filepath.Join(os.TempDir(), "tipline-bench-"+hash)
		s, err = cachedSQLite(b, dir)
		benchDSNs[name] = "file:" + filepath.Join(dir, store.DBFile) + "?mode=ro"
	} else {
		base := os.Getenv("TIPLINE_TEST_POSTGRES")
		s, err = cachedPostgres(b, base, "bench_"+hash)
		benchDSNs[name] = withSearchPath(b, base, "bench_"+hash)
	}
	if err != nil {
		b.Fatal(err)
	}
	benchStores[name] = s
	return s
}

// schemaHash names the seeded database after the migrations and the seed.
func schemaHash(b *testing.B) string {
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		b.Fatalf("no migrations found: %v", err)
	}
	sort.Strings(files)
	h := sha256.New()
	fmt.Fprintf(h, "seed %s %d\n", benchSeedRound, benchTips)
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", f, len(body))
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func cachedSQLite(b *testing.B, dir string) (*store.Store, error) {
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(dir, store.DBFile)); err == nil {
		b.Logf("sqlite: using the seeded database in %s", dir)
		return store.Open(ctx, dir, "")
	}
	// Seed in a fresh folder and rename it into place, so that an
	// interrupted run never leaves a half-seeded cache behind.
	tmp, err := os.MkdirTemp(os.TempDir(), "tipline-bench-seeding-")
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, tmp, "")
	if err != nil {
		return nil, err
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(tmp, store.DBFile)+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return nil, err
	}
	err = seed(b, "sqlite", s, raw)
	raw.Close()
	s.Close()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp) // another run got there first
	}
	return store.Open(ctx, dir, "")
}

func cachedPostgres(b *testing.B, base, schema string) (*store.Store, error) {
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1)`, schema).Scan(&exists); err != nil {
		return nil, fmt.Errorf("failed to reach PostgreSQL at %s: %w", base, err)
	}
	if exists {
		b.Logf("postgres: using the seeded schema %s", schema)
		return store.Open(ctx, "", withSearchPath(b, base, schema))
	}
	tmp := "bench_seeding_" + tip.NewID()[:10]
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+tmp); err != nil {
		return nil, err
	}
	dsn := withSearchPath(b, base, tmp)
	s, err := store.Open(ctx, "", dsn)
	if err != nil {
		return nil, err
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	err = seed(b, "postgres", s, raw)
	if err == nil {
		// Autovacuum would have vacuumed and analysed tables this size in
		// production; index-only scans need the visibility map.
		_, err = raw.ExecContext(ctx, `VACUUM ANALYZE`)
	}
	raw.Close()
	s.Close()
	if err == nil {
		_, err = admin.ExecContext(ctx, `ALTER SCHEMA `+tmp+` RENAME TO `+schema)
	}
	if err != nil {
		admin.ExecContext(ctx, `DROP SCHEMA `+tmp+` CASCADE`)
		return nil, err
	}
	return store.Open(ctx, "", withSearchPath(b, base, schema))
}

func withSearchPath(b *testing.B, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// seed commits benchTips tips, then sets assignees, priorities and labels
// with bulk SQL on raw, in one transaction.
func seed(b *testing.B, name string, s *store.Store, raw *sql.DB) error {
	ctx := context.Background()
	start := time.Now()
	offer := tip.Offer{ID: tip.NewID(), Title: map[string]string{"en": "North Korea sanctions evasion"}, Description: map[string]string{},
		MaxRewardUSD: tip.DefaultMaxRewardUSD, Categories: tip.DPRKCategories, IsDefault: true, CreatedAt: time.Now()}
	if err := s.CreateOffer(ctx, offer); err != nil {
		return err
	}
	content, wrapped, err := oneSealedReport()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 3))
	now := time.Now()
	var assigned, prioritised [][]string
	assigned = make([][]string, 5)
	prioritised = make([][]string, 10)
	var labels []string // "tip_id|label"
	for done := 0; done < benchTips; done += benchBatch {
		batch := make([]*store.NewTip, 0, benchBatch)
		for range benchBatch {
			id := tip.NewID()
			batch = append(batch, &store.NewTip{
				Tip: tip.Tip{ID: id, OfferID: offer.ID, Category: tip.DPRKCategories[rng.IntN(len(tip.DPRKCategories))],
					Status: pickStatus(rng), WantsReward: rng.IntN(3) == 0, HasHits: rng.IntN(100) < 8,
					ReceivedAt: now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)},
				ReceiptLookup: tip.NewID(),
				WrappedKeys:   map[string][]byte{benchHolder: wrapped, "recovery": wrapped},
				Content:       content,
			})
			if rng.IntN(100) < 20 {
				a := rng.IntN(len(assigned))
				assigned[a] = append(assigned[a], id)
			}
			if rng.IntN(100) < 10 {
				p := 1 + rng.IntN(9)
				prioritised[p] = append(prioritised[p], id)
			}
			if rng.IntN(100) < 5 {
				labels = append(labels, id+"|"+[]string{benchLabel, "vessel-watch", "partner-shared"}[rng.IntN(3)])
			}
		}
		if err := s.CommitTips(ctx, batch); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
	}
	committed := time.Since(start)
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for a, ids := range assigned {
		if err := inChunks(ctx, tx, fmt.Sprintf(`UPDATE tips SET assignee = 'bench-analyst-%d' WHERE id IN `, a), ids, idList); err != nil {
			return err
		}
	}
	for p, ids := range prioritised {
		if err := inChunks(ctx, tx, fmt.Sprintf(`UPDATE tips SET priority = %d WHERE id IN `, p), ids, idList); err != nil {
			return err
		}
	}
	if err := inChunks(ctx, tx, `INSERT INTO tip_labels (tip_id, label) VALUES `, labels, labelRows); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	b.Logf("%s: seeded %d tips in %v (CommitTips %v, assignees and labels %v)", name, benchTips,
		time.Since(start).Round(time.Millisecond), committed.Round(time.Millisecond), (time.Since(start) - committed).Round(time.Millisecond))
	return nil
}

// inChunks runs prefix+render(chunk) for chunks of 1,000 items. The items
// are ids this file generated (base32), so inlining them is safe.
func inChunks(ctx context.Context, tx *sql.Tx, prefix string, items []string, render func([]string) string) error {
	for len(items) > 0 {
		n := min(len(items), 1000)
		if _, err := tx.ExecContext(ctx, prefix+render(items[:n])); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
		items = items[n:]
	}
	return nil
}

func idList(ids []string) string { return "('" + strings.Join(ids, "','") + "')" }

func labelRows(rows []string) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		id, label, _ := strings.Cut(r, "|")
		out[i] = "('" + id + "', '" + label + "')"
	}
	return strings.Join(out, ", ")
}

func pickStatus(rng *rand.Rand) tip.Status {
	n := rng.IntN(100)
	for _, s := range benchStatuses {
		if n < s.weight {
			return s.status
		}
		n -= s.weight
	}
	return tip.StatusNew
}

// oneSealedReport seals a report of realistic size once, and wraps its key
// once: every seeded tip reuses both.
func oneSealedReport() (content, wrapped []byte, err error) {
	tipKey, err := seal.NewKey()
	if err != nil {
		return nil, nil, err
	}
	holder, err := seal.NewKey()
	if err != nil {
		return nil, nil, err
	}
	report := `{"category":"ship_to_ship","message":"` + strings.Repeat("A tanker met another at night and pumped oil across. ", 30) + `"}`
	if content, err = seal.SealBytes([]byte(report), tipKey.Recipient()); err != nil {
		return nil, nil, err
	}
	wrapped, err = seal.Wrap(tipKey, holder.Recipient())
	return content, wrapped, err
}

// benchQueue measures one queue query, in milliseconds per call.
func benchQueue(b *testing.B, s *store.Store, f store.QueueFilter) {
	ctx := context.Background()
	tips, total, err := s.Queue(ctx, f)
	if err != nil {
		b.Fatal(err)
	}
	if len(tips) == 0 {
		b.Fatalf("the query %+v lists nothing", f)
	}
	for b.Loop() {
		if _, _, err := s.Queue(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(total), "matches")
}

func BenchmarkQueueFirstPage(b *testing.B) {
	benchBackends(b, func(b *testing.B, s *store.Store) {
		b.Run("by-time", func(b *testing.B) { benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Page: 1}) })
		b.Run("by-priority", func(b *testing.B) {
			benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Sort: "priority", Page: 1})
		})
	})
}

func BenchmarkQueueFiltered(b *testing.B) {
	benchBackends(b, func(b *testing.B, s *store.Store) {
		b.Run("status+category+hits", func(b *testing.B) {
			benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Status: string(tip.StatusNew), Category: "oil", HasHits: "yes", Page: 1})
		})
		b.Run("status", func(b *testing.B) {
			benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Status: string(tip.StatusInvestigating), Page: 1})
		})
		b.Run("label", func(b *testing.B) {
			benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Label: benchLabel, Page: 1})
		})
		b.Run("assignee", func(b *testing.B) {
			benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Assignee: "bench-analyst-0", Page: 1})
		})
	})
}

// BenchmarkQueueLastPage reads the last page by OFFSET: how much deep paging
// costs, and so whether keyset pagination is needed.
func BenchmarkQueueLastPage(b *testing.B) {
	benchBackends(b, func(b *testing.B, s *store.Store) {
		_, total, err := s.Queue(context.Background(), store.QueueFilter{Holder: benchHolder, Page: 1})
		if err != nil {
			b.Fatal(err)
		}
		last := (total + store.DefaultPageSize - 1) / store.DefaultPageSize
		benchQueue(b, s, store.QueueFilter{Holder: benchHolder, Page: last})
	})
}

// The queries proposed for Queue: EXISTS instead of IN, so that both
// databases walk tips_by_received and stop after one page, and a count capped
// at benchCountCap (the desk would show "1,000+ reports" beyond it).
const (
	benchCountCap       = 1000
	proposedPage        = `SELECT id FROM tips t WHERE EXISTS (SELECT 1 FROM tip_keys k WHERE k.tip_id = t.id AND k.holder = $1)%s ORDER BY t.received_at DESC, t.id LIMIT 50`
	proposedCappedCount = `SELECT COUNT(*) FROM (SELECT 1 FROM tips t WHERE EXISTS (SELECT 1 FROM tip_keys k WHERE k.tip_id = t.id AND k.holder = $1)%s LIMIT %d) capped`
)

// BenchmarkQueueProposed runs the proposed count and page queries as raw SQL
// on the same data, to compare with BenchmarkQueueFirstPage and
// BenchmarkQueueFiltered.
func BenchmarkQueueProposed(b *testing.B) {
	benchBackends(b, func(b *testing.B, _ *store.Store) {
		driver := "pgx"
		if strings.HasPrefix(benchDSNs[b.Name()[strings.LastIndex(b.Name(), "/")+1:]], "file:") {
			driver = "sqlite"
		}
		db, err := sql.Open(driver, benchDSNs[b.Name()[strings.LastIndex(b.Name(), "/")+1:]])
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for _, c := range []struct{ name, cond string }{
			{"first-page", ""},
			{"status+category+hits", ` AND t.status = 'new' AND t.category = 'oil' AND t.has_hits = 1`},
			{"label", ` AND t.id IN (SELECT tip_id FROM tip_labels WHERE label = '` + benchLabel + `')`},
			{"assignee", ` AND t.assignee = 'bench-analyst-0'`},
		} {
			b.Run(c.name, func(b *testing.B) {
				ctx := context.Background()
				for b.Loop() {
					var n int
					if err := db.QueryRowContext(ctx, fmt.Sprintf(proposedCappedCount, c.cond, benchCountCap+1), benchHolder).Scan(&n); err != nil {
						b.Fatal(err)
					}
					rows, err := db.QueryContext(ctx, fmt.Sprintf(proposedPage, c.cond), benchHolder)
					if err != nil {
						b.Fatal(err)
					}
					got := 0
					for rows.Next() {
						got++
					}
					if err := rows.Close(); err != nil || got == 0 {
						b.Fatalf("page: %d rows, %v", got, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			})
		}
	})
}
