package intake_test

import (
	"net/http"
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
