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
	s := newSite(t, storetest.Backends(t)[0], siteOptions{guessInterval: 100 * time.Millisecond})
	right := s.client(t).submit("/submit", form{fields: [][2]string{{"category", "oil"}, {"message", "m"}}})

	const guesses = 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	var order []string
	start := time.Now()
	for range guesses {
		wg.Go(func() {
			wrong, _ := receipt.New(receipt.Words)
			resp, page := s.client(t).postForm("/status", map[string]string{"receipt": wrong.String()})
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, "No report was found") {
				t.Errorf("a wrong receipt should get a clear message, got %d", resp.StatusCode)
			}
			mu.Lock()
			order = append(order, "wrong")
			mu.Unlock()
		})
	}
	time.Sleep(50 * time.Millisecond) // let the guesses queue up first
	resp, page := s.client(t).postForm("/status", map[string]string{"receipt": right})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="status"`) {
		t.Fatalf("the right receipt was refused during a flood of guesses: %d", resp.StatusCode)
	}
	mu.Lock()
	order = append(order, "right")
	mu.Unlock()
	wg.Wait()
	if order[len(order)-1] == "right" {
		t.Fatal("the right receipt waited behind every wrong guess")
	}
	// Ten wrong answers, one per 100 ms whatever the concurrency.
	if elapsed := time.Since(start); elapsed < (guesses-1)*100*time.Millisecond {
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
	var wg sync.WaitGroup
	for range abandoned {
		wg.Go(func() {
			wrong, _ := receipt.New(receipt.Words)
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "POST", s.url+"/status", strings.NewReader("receipt="+url.QueryEscape(wrong.String())))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	time.Sleep(interval) // the server sees the connections close

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
