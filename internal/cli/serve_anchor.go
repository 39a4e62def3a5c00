package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"tipline/internal/audit"
)

// auditAnchors runs serve --audit-anchor: an audit.AnchorFile, anchored
// from start to shutdown. A nil *auditAnchors (no flag) does nothing.
type auditAnchors struct {
	file      *audit.AnchorFile
	running   bool
	done      chan struct{}
	closeOnce sync.Once
}

// openAuditAnchors opens the anchor file, refusing one inside the data
// folder: whoever could cut the audit log short could cut its anchors too.
func openAuditAnchors(a *app, dataDir, path string) (*auditAnchors, error) {
	if path == "" {
		return nil, nil
	}
	if inside(path, dataDir) {
		return nil, usageError{withHint(fmt.Errorf("--audit-anchor %s is inside the data folder %s", path, dataDir),
			"keep the anchors where whoever can change the database cannot: another disk or machine, e.g. --audit-anchor /var/log/tipline/audit-anchors (made append-only with chattr +a)")}
	}
	f, err := audit.OpenAnchorFile(a.audit, path)
	if err != nil {
		return nil, withHint(err, "give --audit-anchor a new file, or the one this installation's serve has been writing")
	}
	return &auditAnchors{file: f, done: make(chan struct{})}, nil
}

// run anchors until ctx ends, then once more.
func (x *auditAnchors) run(ctx context.Context, logger *slog.Logger) {
	if x == nil {
		return
	}
	x.running = true
	go func() {
		defer close(x.done)
		x.file.Run(ctx, audit.AnchorEvery, logger)
	}()
}

// close waits for the last anchor, once the context given to run has
// ended, and closes the file.
func (x *auditAnchors) close() {
	if x == nil {
		return
	}
	x.closeOnce.Do(func() {
		if x.running {
			<-x.done
		}
		x.file.Close()
	})
}

// inside reports whether path is in dir or below, following symbolic links
// as far as they exist.
func inside(path, dir string) bool {
	p, d := resolve(path), resolve(dir)
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolve makes path absolute, with the symbolic links of its longest
// existing prefix resolved (the file itself may not exist yet).
func resolve(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	var rest []string
	for p := abs; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{real}, rest...)...)
		}
		if _, err := os.Lstat(p); err == nil || filepath.Dir(p) == p {
			return abs
		}
		rest = append([]string{filepath.Base(p)}, rest...)
	}
}
