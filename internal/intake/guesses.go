package intake

import (
	"context"
	"time"

	"tipline/internal/store"
)

// receiptTurns names the guess gate's turns in the database.
const receiptTurns = "receipts"

// guessGate slows wrong receipts without knowing who sends them. Every wrong
// answer waits at least delay, and wrong answers leave the gate one per
// interval across all clients and every app server on the database, so
// guessing is capped at 1/interval per second however many connections — or
// servers — a guesser uses. A correct receipt never passes through the gate,
// so no flood of wrong guesses can lock its owner out. Nothing about the
// guesser is stored.
//
// A turn is taken only at the front of this server's queue, and a request
// that ends (its client gave up) while queued or waiting leaves without
// spending one: abandoned guesses cost the guesser their place, not the next
// source. The turns themselves are booked in the database (one statement per
// wrong answer); should it fail, the gate keeps its pace on this server alone.
type guessGate struct {
	interval, delay time.Duration
	store           *store.Store

	// turn is held by the one answer at the front; next, guarded by it, is
	// when the next answer may leave this server.
	turn chan struct{}
	next time.Time
}

func newGuessGate(st *store.Store, interval, delay time.Duration) *guessGate {
	return &guessGate{interval: interval, delay: delay, store: st, turn: make(chan struct{}, 1)}
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
	shared := false
	if booked, err := g.store.TakeTurn(ctx, receiptTurns, slot, g.interval); err == nil {
		slot, shared = booked, true
	}
	t := time.NewTimer(time.Until(slot))
	defer t.Stop()
	select {
	case <-t.C:
		g.next = slot.Add(g.interval)
	case <-ctx.Done():
		if shared {
			// Best effort: a turn not given back only delays the next wrong answer.
			_ = g.store.GiveBackTurn(context.WithoutCancel(ctx), receiptTurns, slot, g.interval)
		}
	}
}
