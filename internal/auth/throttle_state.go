package auth

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// accountState is one account's recent failures, as stored.
type accountState struct {
	Failures []int64 `json:"f"` // Unix microseconds, oldest first
	Next     int64   `json:"n"` // Unix microseconds: the earliest start of the next attempt
}

// globalState is the failures over all accounts: a bucket leaking at the
// budgeted rate.
type globalState struct {
	Level float64 `json:"l"`
	At    int64   `json:"t"` // Unix microseconds: when Level was last brought up to date
}

// decodeAccount reads a stored state; a missing or unreadable one is no
// failures (it can only have been written by this code).
func decodeAccount(s string) accountState {
	var a accountState
	if s != "" {
		_ = json.Unmarshal([]byte(s), &a)
	}
	return a
}

func (a accountState) encode() string {
	b, _ := json.Marshal(a)
	return string(b)
}

// prune drops failures older than forget and returns how many are left.
func (a *accountState) prune(now time.Time, forget time.Duration) int {
	cutoff := now.Add(-forget).UnixMicro()
	i := 0
	for i < len(a.Failures) && a.Failures[i] <= cutoff {
		i++
	}
	a.Failures = a.Failures[i:]
	return len(a.Failures)
}

func decodeGlobal(s string) globalState {
	var g globalState
	if s != "" {
		_ = json.Unmarshal([]byte(s), &g)
	}
	return g
}

func (g globalState) encode() string {
	b, _ := json.Marshal(g)
	return string(b)
}

// levelNow is the level at now, after leaking at rate per second since it
// was last updated.
func (g globalState) levelNow(now time.Time, rate float64) float64 {
	elapsed := now.Sub(time.UnixMicro(g.At)).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return max(0, g.Level-elapsed*rate)
}

// maxAccounts bounds the memory of a throttle kept in memory, when someone
// fails logins under many names. Beyond it, states that have lapsed are
// forgotten first, then arbitrary ones: forgetting only shortens one
// account's delay, and a flood of that size already trips the global budget.
const maxAccounts = 10000

// memStates is a SharedState for one process alone.
type memStates struct {
	mu     sync.Mutex
	states map[string]memState
	now    func() time.Time
}

type memState struct {
	state   string
	expires time.Time
}

func newMemStates() *memStates {
	return &memStates{states: map[string]memState{}, now: time.Now}
}

func (m *memStates) Throttles(_ context.Context, names ...string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for _, n := range names {
		if st, ok := m.states[n]; ok {
			out[n] = st.state
		}
	}
	return out, nil
}

func (m *memStates) UpdateThrottles(_ context.Context, names []string, change func(map[string]string) (map[string]string, time.Time, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	states := map[string]string{}
	for _, n := range names {
		if st, ok := m.states[n]; ok {
			states[n] = st.state
		}
	}
	changed, expires, err := change(states)
	if err != nil {
		return err
	}
	for n, st := range changed {
		if st == "" {
			delete(m.states, n)
			continue
		}
		if _, ok := m.states[n]; !ok {
			m.makeRoom()
		}
		m.states[n] = memState{st, expires}
	}
	return nil
}

func (m *memStates) ForgetThrottle(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.states, name)
	return nil
}

// makeRoom keeps the number of states under maxAccounts. It frees a tenth
// of the room at once, so that a flood of names does not make every failure
// sweep the whole map.
func (m *memStates) makeRoom() {
	if len(m.states) < maxAccounts {
		return
	}
	const target = maxAccounts * 9 / 10
	now := m.now()
	for name, st := range m.states {
		if !st.expires.IsZero() && st.expires.Before(now) {
			delete(m.states, name)
		}
	}
	for name := range m.states {
		if len(m.states) <= target {
			break
		}
		if name != globalName {
			delete(m.states, name)
		}
	}
}
