package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"tipline/internal/metrics"
)

// listURLs is --lists-url SOURCE=URL, repeatable.
type listURLs map[string]string

func (l listURLs) String() string { return fmt.Sprint(map[string]string(l)) }

func (l listURLs) Set(v string) error {
	src, u, ok := strings.Cut(v, "=")
	if !ok || (src != "un" && src != "ofac" && src != "un-vessels") {
		return fmt.Errorf("want SOURCE=URL with SOURCE un, ofac or un-vessels, got %q", v)
	}
	l[src] = u
	return nil
}

// refreshLists downloads every source on its cadence and imports what is
// new (an identical file changes nothing; an older one is refused). A source
// that fails keeps its last good version in force, and its failure is
// recorded for the analysts' warning and counted. With several servers on
// one database, one of them refreshes each time.
func refreshLists(ctx context.Context, a *app, urls listURLs, every time.Duration, logger *slog.Logger) {
	for src, u := range officialURLs {
		if _, ok := urls[src]; !ok {
			urls[src] = u
		}
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		refreshOnce(ctx, a, urls, every, logger)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func refreshOnce(ctx context.Context, a *app, urls listURLs, every time.Duration, logger *slog.Logger) {
	now := time.Now()
	mine, err := a.store.ClaimListRefresh(ctx, now, every)
	if err != nil {
		logger.Error("lists: cannot claim the refresh", "err", err)
		return
	}
	if !mine {
		return // another server refreshed them lately
	}
	dir, err := os.MkdirTemp("", "tipline-lists-")
	if err != nil {
		logger.Error("lists: no room to download", "err", err)
		return
	}
	defer os.RemoveAll(dir)
	client := &http.Client{Timeout: 10 * time.Minute}
	for _, src := range listSources {
		u, ok := urls[src]
		if !ok {
			continue
		}
		path, err := fetchSource(ctx, client, src, u, dir, io.Discard)
		if err == nil {
			err = importPath(ctx, a.store, a.audit, "system", path, false, io.Discard, io.Discard)
		}
		outcome := "ok"
		if err != nil {
			outcome = "failed"
			logger.Warn("lists: refresh failed; the last good version stays in force", "source", src, "err", err)
		}
		metrics.ListRefreshes.WithLabelValues(src, outcome).Inc()
		if err := a.store.RecordListRefresh(ctx, src, now, err); err != nil {
			logger.Error("lists: cannot record the refresh", "source", src, "err", err)
		}
	}
}
