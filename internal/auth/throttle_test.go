package auth

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock drives a Throttle in tests: time moves only when told, and a
// wait is recorded and skipped instead of slept.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	waited []time.Duration
}

func newTestThrottle(c ThrottleConfig) (*Throttle, *fakeClock) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	th := NewThrottle(c)
	th.now = clock.now
	th.states.(*memStates).now = clock.now
	th.sleep = func(ctx context.Context, d time.Duration) error {
		clock.mu.Lock()
		defer clock.mu.Unlock()
		clock.waited = append(clock.waited, d)
		return ctx.Err()
	}
	return th, clock
}

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// attempt waits for a login and returns how long it waited.
func attempt(t *testing.T, th *Throttle, c *fakeClock, account string) time.Duration {
	t.Helper()
	c.mu.Lock()
	c.waited = nil
	c.mu.Unlock()
	if err := th.Wait(context.Background(), account); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var total time.Duration
	for _, d := range c.waited {
		total += d
	}
	return total
}

// TestThrottleDelaysGrow walks a guesser who tries again the moment each
// attempt fails: the spacing doubles from 250 ms and stops at 10 s.
func TestThrottleDelaysGrow(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{GlobalFailuresPerSecond: 1000})
	want := []time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, time.Second,
		2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		got := attempt(t, th, c, "kim")
		if got != w {
			t.Fatalf("attempt %d waited %v, want %v", i+1, got, w)
		}
		c.advance(got)
		th.Failed(context.Background(), "kim")
	}
	if got := attempt(t, th, c, "lee"); got != 0 {
		t.Fatalf("another account waited %v", got)
	}
}

func TestThrottleDecays(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{GlobalFailuresPerSecond: 1000})
	for range 5 {
		th.Failed(context.Background(), "kim")
		c.advance(time.Minute)
	}
	// A user coming back after a pause does not wait, even with failures
	// still counting…
	if got := attempt(t, th, c, "kim"); got != 0 {
		t.Fatalf("waited %v after a pause", got)
	}
	// …but a quick retry does, at the spacing for five failures.
	if got := attempt(t, th, c, "kim"); got != 4*time.Second {
		t.Fatalf("quick retry waited %v, want 4s", got)
	}
	// Each failure is forgotten 15 minutes after it happened. At 16:01 the
	// failures at 0:00 and 1:00 have lapsed; with a new one, four count.
	c.advance(11*time.Minute + time.Second)
	th.Failed(context.Background(), "kim")
	if got := attempt(t, th, c, "kim"); got != 2*time.Second {
		t.Fatalf("after two lapsed and one new failure waited %v, want 2s (4 failures)", got)
	}
	c.advance(time.Hour)
	if got := attempt(t, th, c, "kim"); got != 0 {
		t.Fatalf("an hour later waited %v", got)
	}
	// What is kept of the account has lapsed: the database deletes it, and
	// memory makes room with it first.
	if st, ok := th.states.(*memStates).states[th.accountName("kim")]; ok && st.expires.After(c.now()) {
		t.Fatalf("forgotten account kept until %v", st.expires)
	}
}

// TestThrottleCorrectLoginAfterFailures: wrong passwords never lock a user
// out; the right one goes through after a bounded wait and clears the slate.
func TestThrottleCorrectLoginAfterFailures(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{})
	for range 100 {
		th.Failed(context.Background(), "kim")
	}
	got := attempt(t, th, c, "kim")
	if got > 10*time.Second+time.Second {
		t.Fatalf("correct login waited %v, more than MaxDelay+GlobalDelay", got)
	}
	th.Succeeded(context.Background(), "kim")
	c.advance(time.Minute) // the global level has leaked away
	if got := attempt(t, th, c, "kim"); got != 0 {
		t.Fatalf("after success waited %v", got)
	}
}

// TestThrottleParallelGuesses: attempts made at once on one account queue
// behind each other, up to MaxDelay.
func TestThrottleParallelGuesses(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{GlobalFailuresPerSecond: 1000})
	th.Failed(context.Background(), "kim")
	th.Failed(context.Background(), "kim") // two failures: 500 ms spacing
	var got []time.Duration
	for range 30 {
		got = append(got, attempt(t, th, c, "kim"))
	}
	for i, d := range got {
		want := min(time.Duration(i+1)*500*time.Millisecond, 10*time.Second)
		if d != want {
			t.Fatalf("parallel attempt %d waited %v, want %v", i+1, d, want)
		}
	}
}

func TestThrottleGlobalBudget(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{GlobalFailuresPerSecond: 5})
	// Five failures in an instant are within budget.
	for i := range 5 {
		th.Failed(context.Background(), "user"+strconv.Itoa(i))
	}
	if got := attempt(t, th, c, "fresh"); got != 0 {
		t.Fatalf("within budget waited %v", got)
	}
	// A sixth tips it: every account, even an untouched one, waits 1 s.
	th.Failed(context.Background(), "user6")
	if got := attempt(t, th, c, "fresh"); got != time.Second {
		t.Fatalf("over budget waited %v, want 1s", got)
	}
	// The bucket leaks at five a second.
	c.advance(time.Second)
	if got := attempt(t, th, c, "fresh"); got != 0 {
		t.Fatalf("a second later waited %v", got)
	}
}

func TestThrottleBoundsMemory(t *testing.T) {
	th, c := newTestThrottle(ThrottleConfig{GlobalFailuresPerSecond: 1e9})
	for i := range maxAccounts + 500 {
		th.Failed(context.Background(), "name"+strconv.Itoa(i))
	}
	if n := len(th.states.(*memStates).states); n > maxAccounts {
		t.Fatalf("tracking %d accounts, more than %d", n, maxAccounts)
	}
	c.advance(time.Hour)
	th.Failed(context.Background(), "late")
	th.Failed(context.Background(), "late2")
	if n := len(th.states.(*memStates).states); n > maxAccounts {
		t.Fatalf("tracking %d accounts", n)
	}
}

func TestThrottleWaitHonoursContext(t *testing.T) {
	th := NewThrottle(ThrottleConfig{FirstDelay: time.Hour, MaxDelay: time.Hour})
	th.Failed(context.Background(), "kim")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := th.Wait(ctx, "kim"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, want context.DeadlineExceeded", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("Wait ignored the context")
	}
}

// TestThrottleRealWait uses the real clock once, with short delays.
func TestThrottleRealWait(t *testing.T) {
	th := NewThrottle(ThrottleConfig{FirstDelay: 20 * time.Millisecond, GlobalFailuresPerSecond: 1000})
	th.Failed(context.Background(), "kim")
	start := time.Now()
	if err := th.Wait(context.Background(), "kim"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 10*time.Millisecond {
		t.Fatalf("waited only %v", d)
	}
}

func TestThrottleConcurrentUse(t *testing.T) {
	th, _ := newTestThrottle(ThrottleConfig{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := "user" + strconv.Itoa(i%3)
			for j := range 200 {
				_ = th.Wait(context.Background(), name)
				if j%5 == 0 {
					th.Succeeded(context.Background(), name)
				} else {
					th.Failed(context.Background(), name)
				}
			}
		})
	}
	wg.Wait()
}
