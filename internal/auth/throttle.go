package auth

import (
	"context"
	"sync"
	"time"

	"tipline/internal/metrics"
)

// ThrottleConfig tunes a [Throttle]. A zero or negative field takes its
// default, so ThrottleConfig{} is the recommended setting.
type ThrottleConfig struct {
	// FirstDelay is how far apart attempts on an account are spaced after
	// one recent failure; each further failure doubles it. Default 250 ms.
	FirstDelay time.Duration
	// MaxDelay caps how long any attempt waits for its account. Default 10 s.
	MaxDelay time.Duration
	// Forget is how long a failure keeps counting. Default 15 minutes.
	Forget time.Duration
	// GlobalFailuresPerSecond is the rate of failures over all accounts
	// that the desk tolerates; beyond it (or a burst of more than one
	// second's worth), every attempt waits GlobalDelay. Default 5.
	GlobalFailuresPerSecond float64
	// GlobalDelay is that wait. Default 1 s.
	GlobalDelay time.Duration
}

func (c ThrottleConfig) withDefaults() ThrottleConfig {
	if c.FirstDelay <= 0 {
		c.FirstDelay = 250 * time.Millisecond
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = 10 * time.Second
	}
	if c.Forget <= 0 {
		c.Forget = 15 * time.Minute
	}
	if c.GlobalFailuresPerSecond <= 0 {
		c.GlobalFailuresPerSecond = 5
	}
	if c.GlobalDelay <= 0 {
		c.GlobalDelay = time.Second
	}
	return c
}

const (
	// maxRemembered failures per account: the delay reaches its cap long
	// before (250 ms × 2⁶ > 10 s).
	maxRemembered = 16
	// maxAccounts bounds memory when someone fails logins under many
	// names. Beyond it, accounts whose failures have lapsed are forgotten
	// first, then arbitrary ones: forgetting only shortens one account's
	// delay, and a flood of that size already trips the global budget.
	maxAccounts = 10000
)

// Throttle slows repeated login failures, per account and overall. It only
// ever delays, by a bounded time; it never refuses an attempt, so a user who
// mistyped a few times, or whose name an attacker is guessing against, can
// still log in with the right password. It keeps its state in memory, per
// process, keyed by account name alone: use the name as the user typed it,
// whether or not such an account exists, so that the delay does not reveal
// which names exist. It is safe for concurrent use.
type Throttle struct {
	cfg   ThrottleConfig
	now   func() time.Time                                 // test hook
	sleep func(ctx context.Context, d time.Duration) error // test hook

	mu       sync.Mutex
	accounts map[string]*accountState
	level    float64   // failures overall, a bucket leaking at the budgeted rate
	levelAt  time.Time // when level was last brought up to date
}

type accountState struct {
	failures []time.Time // recent failures, oldest first
	next     time.Time   // the earliest start of the next attempt
}

// NewThrottle returns a Throttle with c's settings.
func NewThrottle(c ThrottleConfig) *Throttle {
	return &Throttle{
		cfg:      c.withDefaults(),
		now:      time.Now,
		sleep:    sleepCtx,
		accounts: make(map[string]*accountState),
	}
}

// Wait blocks until an attempt to log in to account may go ahead, and
// returns ctx's error if ctx ends first. Call it before checking the
// password, for every attempt. The wait is at most MaxDelay + GlobalDelay.
//
// After n recent failures on an account, its attempts start at least
// FirstDelay × 2ⁿ⁻¹ apart (capped at MaxDelay). Attempts made at the same time
// queue one behind the other, so parallel guesses gain nothing until the
// queue is MaxDelay long. A user coming back after a pause does not wait.
func (t *Throttle) Wait(ctx context.Context, account string) error {
	d := t.reserve(account)
	if d <= 0 {
		return ctx.Err()
	}
	metrics.Throttled.WithLabelValues("desk_login").Inc()
	return t.sleep(ctx, d)
}

// Failed records a failed attempt on account: a wrong password or a wrong
// second factor.
func (t *Throttle) Failed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.level = t.levelNow(now) + 1
	t.levelAt = now

	a := t.accounts[account]
	if a == nil {
		t.makeRoom(now)
		a = &accountState{}
		t.accounts[account] = a
	}
	a.prune(now, t.cfg.Forget)
	if len(a.failures) == maxRemembered {
		a.failures = append(a.failures[:0], a.failures[1:]...)
	}
	a.failures = append(a.failures, now)
	if next := now.Add(t.delay(len(a.failures))); next.After(a.next) {
		a.next = next
	}
}

// Succeeded records a complete, successful login on account and forgets its
// failures.
func (t *Throttle) Succeeded(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, account)
}

// reserve returns how long the attempt must wait, and books its place.
func (t *Throttle) reserve(account string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	if t.levelNow(now) > t.cfg.GlobalFailuresPerSecond {
		wait = t.cfg.GlobalDelay
	}
	a := t.accounts[account]
	if a == nil {
		return wait
	}
	if a.prune(now, t.cfg.Forget); len(a.failures) == 0 {
		delete(t.accounts, account)
		return wait
	}
	start := now
	if a.next.After(start) {
		start = a.next
	}
	if limit := now.Add(t.cfg.MaxDelay); start.After(limit) {
		start = limit
	}
	a.next = start.Add(t.delay(len(a.failures)))
	return wait + start.Sub(now)
}

// delay is the spacing after n recent failures.
func (t *Throttle) delay(n int) time.Duration {
	if n == 0 {
		return 0
	}
	d := t.cfg.FirstDelay
	for i := 1; i < n && d < t.cfg.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.cfg.MaxDelay)
}

// levelNow is the global failure level at now, after leaking at the
// budgeted rate since it was last updated.
func (t *Throttle) levelNow(now time.Time) float64 {
	elapsed := now.Sub(t.levelAt).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return max(0, t.level-elapsed*t.cfg.GlobalFailuresPerSecond)
}

// makeRoom keeps the number of tracked accounts under maxAccounts. It
// frees a tenth of the room at once, so that a flood of names does not make
// every failure sweep the whole map.
func (t *Throttle) makeRoom(now time.Time) {
	if len(t.accounts) < maxAccounts {
		return
	}
	const target = maxAccounts * 9 / 10
	for name, a := range t.accounts {
		if a.prune(now, t.cfg.Forget); len(a.failures) == 0 {
			delete(t.accounts, name)
		}
	}
	for name := range t.accounts {
		if len(t.accounts) <= target {
			break
		}
		delete(t.accounts, name)
	}
}

// prune drops failures older than forget.
func (a *accountState) prune(now time.Time, forget time.Duration) {
	cutoff := now.Add(-forget)
	i := 0
	for i < len(a.failures) && !a.failures[i].After(cutoff) {
		i++
	}
	a.failures = a.failures[i:]
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
