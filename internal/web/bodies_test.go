package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// guardedServer serves h behind a body guard with limits; what each
// handler's read of its body ended with is sent on reads.
func guardedServer(t *testing.T, limits BodyLimits, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewBodies(limits).Guard(h))
	t.Cleanup(srv.Close)
	return srv
}

// readAll reads a request's body and answers 200, or 503 with the reason
// the body was ended.
func readAll(reads chan<- error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		if reads != nil {
			reads <- err
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "whole")
	}
}

// slowClient sends a request whose body of length bytes comes one byte per
// every, on a connection of its own, until stop is closed.
type slowClient struct {
	conn net.Conn
	stop chan struct{}
	done chan struct{}
}

func startSlowClient(t *testing.T, url string, length int, every time.Duration) *slowClient {
	return startSteadyClient(t, url, length, 1, every)
}

// startSteadyClient sends chunk bytes of the body every so often.
func startSteadyClient(t *testing.T, url string, length, chunk int, every time.Duration) *slowClient {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", length)
	c := &slowClient{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for sent := 0; sent < length; sent += chunk {
			select {
			case <-c.stop:
				return
			case <-tick.C:
			}
			if _, err := conn.Write([]byte(strings.Repeat("x", min(chunk, length-sent)))); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { c.close() })
	return c
}

func (c *slowClient) close() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	c.conn.Close()
	<-c.done
}

// response reads the answer to the slow request, waiting up to patience.
func (c *slowClient) response(patience time.Duration) (*http.Response, string, error) {
	c.conn.SetReadDeadline(time.Now().Add(patience))
	resp, err := http.ReadResponse(bufio.NewReader(c.conn), nil)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// A body that stays under the least rate over a window of waiting is ended:
// the handler's read fails with ErrBodyTooSlow, and the client is answered.
func TestASlowBodyIsEnded(t *testing.T) {
	const window = 600 * time.Millisecond
	reads := make(chan error, 1)
	srv := guardedServer(t, BodyLimits{MaxBodies: 8, MinRate: 1 << 10, Window: window}, readAll(reads))
	start := time.Now()
	c := startSlowClient(t, srv.URL, 100_000, 50*time.Millisecond) // 20 B/s
	select {
	case err := <-reads:
		if !errors.Is(err, ErrBodyTooSlow) {
			t.Fatalf("a slow body's read ended with %v, want ErrBodyTooSlow", err)
		}
	case <-time.After(10 * window):
		t.Fatal("a body at 20 B/s was not ended")
	}
	if took := time.Since(start); took < window || took > 2*window {
		t.Fatalf("ended after %v: want after a window (%v), at the next checks", took, window)
	}
	resp, _, err := c.response(window)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("the slow client got no answer: %v", err)
	}
}

// A body that keeps above the rate, however long it takes, is received
// whole; so is one the handler takes its time over.
func TestBodiesAtTheRateOrWaitedOnByTheServerAreReceived(t *testing.T) {
	const window = 300 * time.Millisecond
	limits := BodyLimits{MaxBodies: 8, MinRate: 1 << 10, Window: window}
	t.Run("steady", func(t *testing.T) {
		srv := guardedServer(t, limits, readAll(nil))
		c := startSteadyClient(t, srv.URL, 6000, 30, 10*time.Millisecond) // 3 KB/s for six windows and more
		resp, body, err := c.response(10 * time.Second)
		if err != nil || resp.StatusCode != http.StatusOK || body != "whole" {
			t.Fatalf("a steady body: %v %v %q", resp, err, body)
		}
	})
	t.Run("server busy", func(t *testing.T) {
		srv := guardedServer(t, limits, func(w http.ResponseWriter, r *http.Request) {
			half := make([]byte, 5000)
			if _, err := io.ReadFull(r.Body, half); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
			time.Sleep(3 * window) // sealing, storing: not the client's doing
			readAll(nil)(w, r)
		})
		resp, err := http.Post(srv.URL, "application/octet-stream", strings.NewReader(strings.Repeat("x", 10_000)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("a body the server took its time over was ended: %d", resp.StatusCode)
		}
	})
}

// When as many bodies as allowed are arriving, a newcomer is taken and the
// slowest gives way, with ErrBodyCrowded: a flood of stalled uploads cannot
// keep a normal request out.
func TestTheSlowestBodyGivesWay(t *testing.T) {
	const most = 4
	var mu sync.Mutex
	var crowded int
	srv := guardedServer(t, BodyLimits{MaxBodies: most, MinRate: 1 << 10, Window: time.Hour}, func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		if errors.Is(err, ErrBodyCrowded) {
			mu.Lock()
			crowded++
			mu.Unlock()
		}
		readAll(nil)(w, r)
		_ = err
	})
	var stalled []*slowClient
	stall := func() {
		stalled = append(stalled, startSlowClient(t, srv.URL, 1000, time.Hour)) // never sends a byte
		time.Sleep(20 * time.Millisecond)
	}
	for range most {
		stall()
	}
	for i := range most {
		start := time.Now()
		resp, err := http.Post(srv.URL, "text/plain", strings.NewReader("a normal request"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || time.Since(start) > time.Second {
			t.Fatalf("newcomer %d during a flood: %d after %v", i, resp.StatusCode, time.Since(start))
		}
		// The longest silent gave way, and was told.
		resp, body, err := stalled[i].response(time.Second)
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "slowest") {
			t.Fatalf("stalled upload %d: want 503 saying it was the slowest, got %v %q", i, err, body)
		}
		stall() // the flood goes on
	}
	mu.Lock()
	defer mu.Unlock()
	if crowded != most {
		t.Fatalf("%d bodies gave way, want %d", crowded, most)
	}
}

// A body its handler did not read to the end is ended when the handler
// returns: net/http would otherwise read the rest at the client's pace, up
// to 256 KiB, holding the connection, and before the answer if it was
// written early.
func TestAnUnreadBodyIsNotAwaited(t *testing.T) {
	srv := guardedServer(t, BodyLimits{MaxBodies: 8, MinRate: 1, Window: time.Hour}, func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	c := startSlowClient(t, srv.URL, 100_000, 100*time.Millisecond)
	resp, _, err := c.response(2 * time.Second)
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("no answer while the body trickles in: %v", err)
	}
	c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.conn.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("the connection was kept to read the rest of the body: %v", err)
	}
}
