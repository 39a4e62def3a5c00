package cli

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"tipline/internal/metrics"
)

// serveMetrics starts the operator's listener: health, readiness and
// Prometheus metrics, apart from the source site and the desk.
func serveMetrics(addr, dataDir string, minFree uint64, a *app, logger *slog.Logger, errs chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, withHint(err, "choose another address with --metrics")
	}
	h := metrics.Handler(metrics.Config{
		Ping:    a.store.Ping,
		Reports: a.store.TipsByStatus,
		Lists: func(ctx context.Context) (map[string]time.Time, error) {
			versions, err := a.store.ListVersions(ctx)
			if err != nil {
				return nil, err
			}
			out := map[string]time.Time{}
			for _, v := range versions {
				if v.Current {
					out[string(v.Source)] = v.Published
				}
			}
			return out, nil
		},
		DataDir: dataDir,
		MinFree: minFree, // the source site's own threshold (serve --min-free)
	})
	srv := newServer(h, logger)
	srv.Addr = ln.Addr().String()
	go func() { errs <- srv.Serve(ln) }()
	return srv, nil
}
