package metrics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tipline/internal/disk"
)

// Config is what the operator's listener reads from the installation.
type Config struct {
	Ping func(ctx context.Context) error
	// Lists returns the publication date of each source's list in force.
	Lists func(ctx context.Context) (map[string]time.Time, error)
	// Reports counts the reports of each status.
	Reports func(ctx context.Context) (map[string]int, error)
	DataDir string // whose file system's free space is watched
	// MinFree is the free space below which the installation is not ready
	// (it would refuse reports): 0 for any.
	MinFree uint64
}

// Handler serves /healthz (the process lives), /readyz (it can take
// reports: the database answers, a sanctions list is loaded, the disk has
// room; 503 with the reason otherwise) and /metrics.
func Handler(cfg Config) http.Handler {
	local := prometheus.NewRegistry()
	local.MustRegister(&installation{cfg: cfg})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := ready(r.Context(), cfg); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(prometheus.Gatherers{Registry, local}, promhttp.HandlerOpts{}))
	return mux
}

// ready says why the installation cannot take reports, or nil.
func ready(ctx context.Context, cfg Config) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := cfg.Ping(ctx); err != nil {
		return fmt.Errorf("the database does not answer: %w", err)
	}
	lists, err := cfg.Lists(ctx)
	if err != nil {
		return fmt.Errorf("the database does not answer: %w", err)
	}
	if len(lists) == 0 {
		return errors.New("no sanctions list is loaded: import them with tipline lists import or download")
	}
	free, err := disk.Free(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("cannot read the data folder's free space: %w", err)
	}
	if free < cfg.MinFree {
		return fmt.Errorf("the data folder's disk has %d bytes free, under the %d kept in reserve (serve --min-free): reports are refused", free, cfg.MinFree)
	}
	return nil
}

// installation reports, at each scrape, what is read from the installation
// rather than counted: reports by status, the age of each list in force,
// free disk. Labels are statuses and list sources only.
type installation struct{ cfg Config }

var (
	reportsDesc  = prometheus.NewDesc("tipline_reports", "Reports stored, by status.", []string{"status"}, nil)
	listAgeDesc  = prometheus.NewDesc("tipline_list_age_seconds", "Age of the list in force for each source, from its publication date (or import, when it carries none).", []string{"source"}, nil)
	freeDiskDesc = prometheus.NewDesc("tipline_free_disk_bytes", "Free space on the data folder's file system.", nil, nil)
	upDesc       = prometheus.NewDesc("tipline_database_up", "1 when the database answered this scrape.", nil, nil)
)

func (c *installation) Describe(ch chan<- *prometheus.Desc) {
	ch <- reportsDesc
	ch <- listAgeDesc
	ch <- freeDiskDesc
	ch <- upDesc
}

func (c *installation) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	up := 1.0
	if counts, err := c.cfg.Reports(ctx); err == nil {
		for status, n := range counts {
			ch <- prometheus.MustNewConstMetric(reportsDesc, prometheus.GaugeValue, float64(n), status)
		}
	} else {
		up = 0
	}
	if lists, err := c.cfg.Lists(ctx); err == nil {
		for source, published := range lists {
			ch <- prometheus.MustNewConstMetric(listAgeDesc, prometheus.GaugeValue, time.Since(published).Seconds(), source)
		}
	} else {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up)
	if free, err := disk.Free(c.cfg.DataDir); err == nil {
		ch <- prometheus.MustNewConstMetric(freeDiskDesc, prometheus.GaugeValue, float64(free))
	}
}
