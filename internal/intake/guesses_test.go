package intake_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/receipt"
	"tipline/internal/store/storetest"
)

// Wrong receipts are answered one at a time across all clients, so a flood
// of guesses is slowed; the right receipt skips the queue and is never
// locked out by it.
func TestWrongReceiptsAreSlowedWithoutLockingOutTheRightOne(t *testing.T) {
	const interval = 600 * time.Millisecond
	s := newSite(t, storetest.Backends(t)[0], siteOptions{guessInterval: interval})
	right := s.client(t).submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}})

	const guesses = 4
	var wg sync.WaitGroup
	var mu sync.Mutex
	var order []string
	answered := make(chan struct{}, guesses)
	start := time.Now()
	for range guesses {
		wg.Go(func() {
			defer func() { answered <- struct{}{} }()
			wrong, _ := receipt.New(receipt.Words)
			resp, page, err := s.client(t).send("POST", "/status", formBody(map[string]string{"receipt": wrong.String()}), formType)
			if err != nil {
				t.Error(err)
				return
			}
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "No report was found") {
				t.Errorf("a wrong receipt should get a clear message, got %d", resp.StatusCode)
			}
			mu.Lock()
			order = append(order, "wrong")
			mu.Unlock()
		})
	}
	// The gate has let two guesses through, a turn apart. Had the right
	// receipt to pass it too, it would queue behind the two guesses left,
	// each a turn apart: it would take two intervals, less what the third
	// had already waited, and come after the others. Opening the report
	// itself costs a key derivation, which a loaded machine can stretch to
	// a few hundred milliseconds: the bound is one whole interval.
	<-answered
	<-answered
	asked := time.Now()
	resp, page := s.client(t).postForm("/status", map[string]string{"receipt": right})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="status"`) {
		t.Fatalf("the right receipt was refused during a flood of guesses: %d", resp.StatusCode)
	}
	took := time.Since(asked)
	mu.Lock()
	order = append(order, "right")
	mu.Unlock()
	wg.Wait()
	if took >= interval || order[len(order)-1] == "right" {
		t.Fatalf("the right receipt took %v, answered in the order %v: it waited in the queue of wrong guesses", took.Round(time.Millisecond), order)
	}
	// The wrong answers, one per interval whatever the concurrency.
	if elapsed := time.Since(start); elapsed < (guesses-1)*interval {
		t.Fatalf("%d concurrent wrong guesses were all answered in %v: not slowed", guesses, elapsed)
	}
}

// A guess whose sender gave up gives its turn back: a flood of abandoned
// wrong guesses must not make the next source who mistypes a receipt wait
// for every one of them.
func TestAbandonedGuessesGiveTheirTurnBack(t *testing.T) {
	const interval = 100 * time.Millisecond
	s := newSite(t, storetest.Backends(t)[0], siteOptions{guessInterval: interval})
	const abandoned = 40 // 4 s of turns, had they kept them
	ctx, giveUp := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range abandoned {
		wg.Go(func() {
			wrong, _ := receipt.New(receipt.Words)
			req, _ := http.NewRequestWithContext(ctx, "POST", s.url+"/status", strings.NewReader("receipt="+url.QueryEscape(wrong.String())))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	// Every guess is being answered when its sender gives up, and the
	// server has ended every one before the next source comes.
	s.requests.await(t, "every guess to reach the server", func(started, _ int) bool { return started == abandoned })
	giveUp()
	wg.Wait()
	s.requests.await(t, "the server to end every abandoned guess", func(_, finished int) bool { return finished == abandoned })

	wrong, _ := receipt.New(receipt.Words)
	start := time.Now()
	resp, page := s.client(t).postForm("/status", map[string]string{"receipt": wrong.String()})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "No report was found") {
		t.Fatalf("a wrong receipt should get a clear message, got %d", resp.StatusCode)
	}
	if waited := time.Since(start); waited > 10*interval {
		t.Fatalf("a mistyped receipt waited %v behind %d abandoned guesses", waited.Round(time.Millisecond), abandoned)
	}
}
