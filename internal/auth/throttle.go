package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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

// maxRemembered failures per account: the delay reaches its cap long before
// (250 ms × 2⁶ > 10 s).
const maxRemembered = 16

// globalName is where the failures over all accounts are counted.
const globalName = "login"

// Throttle slows repeated login failures, per account and overall. It only
// ever delays, by a bounded time; it never refuses an attempt, so a user who
// mistyped a few times, or whose name an attacker is guessing against, can
// still log in with the right password. It is keyed by account name alone:
// use the name as the user typed it, whether or not such an account exists,
// so that the delay does not reveal which names exist. It is safe for
// concurrent use.
//
// Its state is kept in a [SharedState] — the database, so that every app
// server on it, and the CLI, count the same failures: N servers allow an
// attacker no more guesses than one. Names are stored only as a keyed hash.
// Without one (NewThrottle), it keeps its state in memory, for this process
// alone.
type Throttle struct {
	cfg     ThrottleConfig
	states  SharedState
	nameKey []byte
	now     func() time.Time                                 // test hook
	sleep   func(ctx context.Context, d time.Duration) error // test hook
}

// SharedState keeps a throttle's state where every server sees it:
// *store.Store implements it over the database.
type SharedState interface {
	// Throttles returns the state stored under each of names that has any.
	Throttles(ctx context.Context, names ...string) (map[string]string, error)
	// UpdateThrottles runs change on the states stored under names and
	// stores what it returns, atomically with respect to every other
	// update of those names; a name left out keeps its state, an empty
	// state deletes it, and the states changed may be forgotten after
	// expires.
	UpdateThrottles(ctx context.Context, names []string, change func(states map[string]string) (changed map[string]string, expires time.Time, err error)) error
	// ForgetThrottle deletes the state stored under name.
	ForgetThrottle(ctx context.Context, name string) error
}

// NewThrottle returns a Throttle with c's settings that keeps its state in
// this process's memory.
func NewThrottle(c ThrottleConfig) *Throttle {
	return NewSharedThrottle(c, newMemStates(), nil)
}

// NewSharedThrottle returns a Throttle with c's settings that keeps its
// state in states. Account names are stored as an HMAC under nameKey: a
// secret of the installation, so that the names typed at the login form —
// a password typed in the wrong field — cannot be read back from the
// database.
func NewSharedThrottle(c ThrottleConfig, states SharedState, nameKey []byte) *Throttle {
	return &Throttle{cfg: c.withDefaults(), states: states, nameKey: nameKey, now: time.Now, sleep: sleepCtx}
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
	d, err := t.reserve(ctx, account)
	if err != nil {
		return err
	}
	if d <= 0 {
		return ctx.Err()
	}
	metrics.Throttled.WithLabelValues("desk_login").Inc()
	return t.sleep(ctx, d)
}

// Failed records a failed attempt on account: a wrong password or a wrong
// second factor. It is recorded even if ctx is cancelled: a guesser who hangs
// up before the answer must not go uncounted.
func (t *Throttle) Failed(ctx context.Context, account string) error {
	name := t.accountName(account)
	return t.states.UpdateThrottles(context.WithoutCancel(ctx), []string{globalName, name}, func(states map[string]string) (map[string]string, time.Time, error) {
		now := t.now()
		g := decodeGlobal(states[globalName])
		g.Level = g.levelNow(now, t.cfg.GlobalFailuresPerSecond) + 1
		g.At = now.UnixMicro()

		a := decodeAccount(states[name])
		a.prune(now, t.cfg.Forget)
		if len(a.Failures) == maxRemembered {
			a.Failures = append(a.Failures[:0], a.Failures[1:]...)
		}
		a.Failures = append(a.Failures, now.UnixMicro())
		a.Next = max(a.Next, now.Add(t.delay(len(a.Failures))).UnixMicro())

		// The state matters until its failures are forgotten and the level
		// has leaked away, whichever is later.
		drained := time.Duration(g.Level / t.cfg.GlobalFailuresPerSecond * float64(time.Second))
		return map[string]string{globalName: g.encode(), name: a.encode()}, now.Add(max(t.cfg.Forget, drained)), nil
	})
}

// Succeeded records a complete, successful login on account and forgets its
// failures.
func (t *Throttle) Succeeded(ctx context.Context, account string) error {
	return t.states.ForgetThrottle(ctx, t.accountName(account))
}

// reserve returns how long the attempt must wait, and books its place. An
// account with no recent failures costs one read and books nothing.
func (t *Throttle) reserve(ctx context.Context, account string) (time.Duration, error) {
	name := t.accountName(account)
	states, err := t.states.Throttles(ctx, globalName, name)
	if err != nil {
		return 0, err
	}
	now := t.now()
	var wait time.Duration
	if decodeGlobal(states[globalName]).levelNow(now, t.cfg.GlobalFailuresPerSecond) > t.cfg.GlobalFailuresPerSecond {
		wait = t.cfg.GlobalDelay
	}
	if a := decodeAccount(states[name]); a.prune(now, t.cfg.Forget) == 0 {
		return wait, nil
	}
	var start time.Time
	err = t.states.UpdateThrottles(ctx, []string{name}, func(states map[string]string) (map[string]string, time.Time, error) {
		a := decodeAccount(states[name])
		if a.prune(now, t.cfg.Forget) == 0 {
			start = now
			return map[string]string{name: ""}, time.Time{}, nil
		}
		start = now
		if next := time.UnixMicro(a.Next); next.After(start) {
			start = next
		}
		if limit := now.Add(t.cfg.MaxDelay); start.After(limit) {
			start = limit
		}
		a.Next = start.Add(t.delay(len(a.Failures))).UnixMicro()
		return map[string]string{name: a.encode()}, now.Add(t.cfg.Forget), nil
	})
	return wait + start.Sub(now), err
}

// accountName is where an account's failures are kept: a keyed hash of the
// name as typed.
func (t *Throttle) accountName(account string) string {
	mac := hmac.New(sha256.New, t.nameKey)
	mac.Write([]byte("tipline login throttle\x00" + account))
	return globalName + ":" + hex.EncodeToString(mac.Sum(nil)[:16])
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
