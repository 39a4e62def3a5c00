package intake

import (
	"context"
	"sync"
	"time"
)

// guessGate slows wrong receipts without knowing who sends them. Every wrong
// answer waits at least delay, and wrong answers leave the gate one per
// interval across all clients, so guessing is capped at 1/interval per second
// however many connections a guesser opens. A correct receipt never passes
// through the gate, so no flood of wrong guesses can lock its owner out.
// Nothing about the guesser is stored.
type guessGate struct {
	interval, delay time.Duration

	mu   sync.Mutex
	next time.Time
}

// wait holds a wrong answer until its turn.
func (g *guessGate) wait(ctx context.Context) {
	g.mu.Lock()
	now := time.Now()
	slot := now.Add(g.delay)
	if g.next.After(slot) {
		slot = g.next
	}
	g.next = slot.Add(g.interval)
	g.mu.Unlock()
	t := time.NewTimer(time.Until(slot))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
