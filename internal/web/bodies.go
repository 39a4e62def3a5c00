package web

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"tipline/internal/tip"
)

// BodyLimits bound the request bodies a server receives at once, and how
// slowly one may arrive.
type BodyLimits struct {
	// MaxBodies is how many bodies may be received at once. A body past it
	// does not wait and is not refused: the slowest being received gives
	// way, so that a flood of slow uploads cannot keep a source out.
	MaxBodies int
	// MinRate, in bytes per second, is the least a body must average over
	// any Window of waiting for it; a slower one is ended. Time the server
	// spends on what it received (sealing, storing) is not counted against
	// the client.
	MinRate int64
	Window  time.Duration
}

// DefaultBodyLimits suit sources on Tor, slow but not that slow: a body
// under 1 KiB/s for a minute is ended (within 65 s of its start when slow
// from the start), an upload at 50 KiB/s may take hours. 64 bodies at once
// leaves room for twice the 32 concurrent sources the intake is tested with.
var DefaultBodyLimits = BodyLimits{MaxBodies: 64, MinRate: 1 << 10, Window: time.Minute}

// Errors a guarded body's Read returns when it is ended.
var (
	ErrBodyTooSlow = tip.Errorf(tip.CodeUnavailable, "the upload arrived too slowly and was ended")
	ErrBodyCrowded = tip.Errorf(tip.CodeUnavailable, "too many uploads at once: the slowest, this one, was ended")
)

// Bodies watches the request bodies a server is receiving and ends those
// its limits refuse. A body is ended by a read deadline in the past, so a
// client that sends nothing more cannot hold the handler's read; the reason
// is what the handler's next read returns (ErrBodyTooSlow, ErrBodyCrowded).
// What it counts is read through a wrapper of the body: bytes, and the time
// spent inside Read (a clock read, no system call), so the hot path of a
// large upload gains no system call; deadlines are set only to end a body.
type Bodies struct {
	limits BodyLimits
	epoch  time.Time // bodies' clocks count from here, monotonic

	mu       sync.Mutex
	active   map[*guardedBody]struct{}
	watching bool // a goroutine checks the rates while bodies are active
}

// NewBodies returns a guard with the given limits; zero fields take their
// default.
func NewBodies(l BodyLimits) *Bodies {
	d := DefaultBodyLimits
	if l.MaxBodies <= 0 {
		l.MaxBodies = d.MaxBodies
	}
	if l.MinRate <= 0 {
		l.MinRate = d.MinRate
	}
	if l.Window <= 0 {
		l.Window = d.Window
	}
	return &Bodies{limits: l, epoch: time.Now(), active: map[*guardedBody]struct{}{}}
}

// Guard watches the bodies of requests to next. A response begun before
// its body was read to the end closes the connection, and the body is
// ended when next returns: net/http would otherwise read up to 256 KiB of
// what is left at the client's pace, with no deadline — before writing the
// response, or after it and then parse the rest as the next request.
func (g *Bodies) Guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		b := g.admit(r.Body, http.NewResponseController(w))
		r.Body = b
		defer g.release(b)
		if r.ProtoMajor == 1 { // HTTP/2's streams end alone; there, it would end every stream
			w = closingWriter{w, b}
		}
		next.ServeHTTP(w, r)
	})
}

// closingWriter asks for the connection to be closed after a response
// begun before the request's body was read to its end.
type closingWriter struct {
	http.ResponseWriter
	b *guardedBody
}

func (w closingWriter) WriteHeader(status int) {
	w.closeUnlessRead()
	w.ResponseWriter.WriteHeader(status)
}

func (w closingWriter) Write(p []byte) (int, error) {
	w.closeUnlessRead()
	return w.ResponseWriter.Write(p)
}

func (w closingWriter) closeUnlessRead() {
	if !w.b.eof.Load() {
		w.Header().Set("Connection", "close") // no effect once the header is written
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w closingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// guardedBody is a request body being received.
type guardedBody struct {
	io.ReadCloser
	g  *Bodies
	rc *http.ResponseController

	bytes   atomic.Int64
	eof     atomic.Bool
	waited  atomic.Int64 // nanoseconds spent in Reads that returned
	reading atomic.Int64 // when the Read under way began (g's clock, +1); 0 if none
	reason  atomic.Pointer[tip.Error]

	// Under g.mu.
	over    bool     // received whole, ended or released: never ended again
	samples []sample // at the last checks, the oldest a Window or more ago
}

type sample struct{ waited, bytes int64 }

func (g *Bodies) now() int64 { return int64(time.Since(g.epoch)) }

func (b *guardedBody) Read(p []byte) (int, error) {
	if reason := b.reason.Load(); reason != nil {
		return 0, reason
	}
	start := b.g.now()
	b.reading.Store(start + 1)
	n, err := b.ReadCloser.Read(p)
	b.reading.Store(0)
	b.waited.Add(b.g.now() - start)
	b.bytes.Add(int64(n))
	if err != nil {
		if reason := b.reason.Load(); reason != nil {
			return n, reason // the deadline that ended it, explained
		}
		if err == io.EOF {
			b.eof.Store(true)
			b.g.finished(b)
		}
	}
	return n, err
}

// waitedAt is how long the server has waited for this body's bytes, at now.
func (b *guardedBody) waitedAt(now int64) int64 {
	w := b.waited.Load()
	if since := b.reading.Load(); since > 0 && now > since-1 {
		w += now - (since - 1)
	}
	return w
}

// admit starts watching a body, making room for it when the server is
// receiving as many as it may.
func (g *Bodies) admit(body io.ReadCloser, rc *http.ResponseController) *guardedBody {
	b := &guardedBody{ReadCloser: body, g: g, rc: rc, samples: []sample{{}}}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.active) >= g.limits.MaxBodies {
		g.endLocked(g.slowestLocked(), ErrBodyCrowded)
	}
	g.active[b] = struct{}{}
	if !g.watching {
		g.watching = true
		go g.watch()
	}
	return b
}

// slowestLocked returns the body arriving the slowest. Its rate is judged
// as if it had already received MinRate for a few seconds, so that a body
// just begun is not taken for the slowest before its first bytes had time
// to come, and the longest silent is the slowest of the silent.
func (g *Bodies) slowestLocked() *guardedBody {
	const graceNanos = int64(5 * time.Second)
	grace := float64(g.limits.MinRate) * float64(graceNanos) / 1e9
	now := g.now()
	var slowest *guardedBody
	var slowestRate float64
	for b := range g.active {
		rate := (float64(b.bytes.Load()) + grace) / float64(b.waitedAt(now)+graceNanos)
		if slowest == nil || rate < slowestRate {
			slowest, slowestRate = b, rate
		}
	}
	return slowest
}

// endLocked ends a body: its reads fail from now on with reason.
func (g *Bodies) endLocked(b *guardedBody, reason *tip.Error) {
	delete(g.active, b)
	if b.over {
		return
	}
	b.over = true
	b.reason.Store(reason)
	// The handler has not returned (release sets over first, under g.mu),
	// so the connection still serves this request.
	b.rc.SetReadDeadline(time.Now())
}

// finished stops watching a body read to its end.
func (g *Bodies) finished(b *guardedBody) {
	g.mu.Lock()
	delete(g.active, b)
	b.over = true
	g.mu.Unlock()
}

// release stops watching a body once its handler has returned, ending its
// read if it was not read to its end.
func (g *Bodies) release(b *guardedBody) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.active, b)
	if !b.over {
		b.over = true
		b.rc.SetReadDeadline(time.Now())
	}
}

// watch checks the rates of the active bodies a few times per Window, until
// none is left.
func (g *Bodies) watch() {
	tick := time.NewTicker(g.limits.Window / 12)
	defer tick.Stop()
	for range tick.C {
		g.mu.Lock()
		if len(g.active) == 0 {
			g.watching = false
			g.mu.Unlock()
			return
		}
		g.checkLocked()
		g.mu.Unlock()
	}
}

// checkLocked ends every body that received less than MinRate over the last
// Window of waiting for it.
func (g *Bodies) checkLocked() {
	window := int64(g.limits.Window)
	least := g.limits.MinRate * window / int64(time.Second)
	now := g.now()
	for b := range g.active {
		s := sample{waited: b.waitedAt(now), bytes: b.bytes.Load()}
		if s.waited == b.samples[len(b.samples)-1].waited {
			continue // not waited for since the last check: nothing to judge
		}
		b.samples = append(b.samples, s)
		// The latest sample a Window or more of waiting ago is the base;
		// older ones are of no more use.
		base := -1
		for i, old := range b.samples {
			if s.waited-old.waited >= window {
				base = i
			}
		}
		if base < 0 {
			continue
		}
		if s.bytes-b.samples[base].bytes < least {
			g.endLocked(b, ErrBodyTooSlow)
			continue
		}
		b.samples = b.samples[base:]
	}
}
