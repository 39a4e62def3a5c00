package intake

import (
	"context"
	"time"
)

// guessGate slows wrong receipts without knowing who sends them. Every wrong
// answer waits at least delay, and wrong answers leave the gate one per
// interval across all clients, so guessing is capped at 1/interval per second
// however many connections a guesser opens. A correct receipt never passes
// through the gate, so no flood of wrong guesses can lock its owner out.
// Nothing about the guesser is stored.
//
// A turn is taken only at the front of the queue, and a request that ends
// (its client gave up) while queued or waiting leaves without spending one:
// abandoned guesses cost the guesser their place, not the next source.
type guessGate struct {
	interval, delay time.Duration

	// turn is held by the one answer at the front; next, guarded by it, is
	// when the next answer may leave.
	turn chan struct{}
	next time.Time
}

func newGuessGate(interval, delay time.Duration) *guessGate {
	return &guessGate{interval: interval, delay: delay, turn: make(chan struct{}, 1)}
}

// wait holds a wrong answer until its turn, or until ctx ends.
func (g *guessGate) wait(ctx context.Context) {
	arrived := time.Now()
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-g.turn }()
	slot := arrived.Add(g.delay)
	if g.next.After(slot) {
		slot = g.next
	}
	t := time.NewTimer(time.Until(slot))
	defer t.Stop()
	select {
	case <-t.C:
		g.next = slot.Add(g.interval)
	case <-ctx.Done():
	}
}
