package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// logStart logs the one line an operator needs at start: where Tipline
// listens, on what store, with which lists in force, and its onion. Nothing
// in it concerns a source.
func logStart(ctx context.Context, logger *slog.Logger, a *app, public, desk, onionAddr string) {
	store := "sqlite"
	if a.store.Postgres() {
		store = "postgresql"
	}
	var lists []string
	if versions, err := a.store.ListVersions(ctx); err == nil {
		for _, v := range versions {
			if v.Current {
				lists = append(lists, fmt.Sprintf("%s %s", v.Source, v.Published.UTC().Format("2006-01-02")))
			}
		}
	}
	if len(lists) == 0 {
		lists = []string{"none: import them with tipline lists import or download"}
	}
	if onionAddr == "" {
		onionAddr = "none"
	}
	logger.Info("tipline serving", "public", public, "desk", desk, "store", store, "lists", strings.Join(lists, ", "), "onion", onionAddr)
}
