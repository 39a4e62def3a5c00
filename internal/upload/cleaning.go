package upload

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"

	"tipline/internal/metadata"
	"tipline/internal/tip"
)

// A PDF is cleaned (or inspected) whole in memory, so how many are at once
// is bounded by the memory they may take (metadata.PDFMemory), across every
// upload of the process — the source site's and the desk's alike. A PDF
// that cannot get its share waits, up to pdfPatience, and the upload is
// then refused with ErrCleaningBusy: never stored uncleaned without the
// sender's say. JPEG, PNG and text are cleaned as streams in little memory,
// and need no share.
const (
	pdfMemoryBudget = 1 << 30
	pdfPatience     = 2 * time.Minute
)

// ErrCleaningBusy refuses an upload whose PDF could not be cleaned in time
// because others took the memory for cleaning.
var ErrCleaningBusy = tip.Errorf(tip.CodeUnavailable, "too many files are being cleaned: try again in a few minutes")

// memoryShares is a budget of memory shared by the work that takes it.
type memoryShares struct {
	sem      *semaphore.Weighted
	budget   int64
	patience time.Duration
}

func newMemoryShares(budget int64, patience time.Duration) *memoryShares {
	return &memoryShares{sem: semaphore.NewWeighted(budget), budget: budget, patience: patience}
}

var pdfMemory = newMemoryShares(pdfMemoryBudget, pdfPatience)

// take waits for n bytes of the budget (all of it, for more), up to the
// patience or the end of ctx, and returns how to give them back.
func (m *memoryShares) take(ctx context.Context, n int64) (release func(), err error) {
	n = min(n, m.budget)
	ctx, cancel := context.WithTimeout(ctx, m.patience)
	defer cancel()
	if err := m.sem.Acquire(ctx, n); err != nil {
		return nil, ErrCleaningBusy
	}
	return func() { m.sem.Release(n) }, nil
}

// shareFor takes the memory a file of type typ and size bytes needs to be
// cleaned or inspected: a PDF's share, nothing for the rest.
func shareFor(ctx context.Context, typ metadata.Type, size int64) (release func(), err error) {
	if typ.Kind != metadata.KindPDF {
		return func() {}, nil
	}
	return pdfMemory.take(ctx, metadata.PDFMemory(size))
}
