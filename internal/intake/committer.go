package intake

import (
	"context"
	"errors"
	"time"

	"tipline/internal/store"
)

// maxBatch bounds one group commit.
const maxBatch = 128

// committer commits tips in batches: whoever arrives while a commit is
// fsyncing joins the next one. Under load the intake queues here instead of
// failing with "database is locked", and one fsync covers many tips.
type committer struct {
	store    *store.Store
	reqs     chan *commitRequest
	patience time.Duration // the longest one commit may wait on the database
}

type commitRequest struct {
	tip  *store.NewTip
	done chan error
}

func newCommitter(s *store.Store, patience time.Duration) *committer {
	return &committer{store: s, reqs: make(chan *commitRequest), patience: patience}
}

// commit queues a tip and waits until it is durably committed or refused.
// It waits even if the client goes away: a commit under way is not undone.
// A database that takes the commit and never answers (stopped mid-commit, or
// cut off without a reset) is given up on after the committer's patience: the
// sources are told it is unavailable, and get no receipt.
func (c *committer) commit(ctx context.Context, t *store.NewTip) error {
	req := &commitRequest{tip: t, done: make(chan error, 1)}
	select {
	case c.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.done
}

func (c *committer) run(ctx context.Context) {
	for {
		var first *commitRequest
		select {
		case first = <-c.reqs:
		case <-ctx.Done():
			return
		}
		batch := []*commitRequest{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		c.commitBatch(context.WithoutCancel(ctx), batch)
	}
}

func (c *committer) commitBatch(ctx context.Context, batch []*commitRequest) {
	tips := make([]*store.NewTip, len(batch))
	for i, r := range batch {
		tips[i] = r.tip
	}
	err := c.commitTips(ctx, tips)
	// A database that did not answer would not answer each tip alone either.
	if err == nil || len(batch) == 1 || errors.Is(store.Classify(err), store.ErrUnavailable) {
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	// One bad tip must not sink the others: commit each alone.
	for _, r := range batch {
		r.done <- c.commitTips(ctx, []*store.NewTip{r.tip})
	}
}

func (c *committer) commitTips(ctx context.Context, tips []*store.NewTip) error {
	ctx, cancel := context.WithTimeout(ctx, c.patience)
	defer cancel()
	return c.store.CommitTips(ctx, tips)
}
