package e2e_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowBodies opens 200 uploads to the source site that send one byte of
// their body every 20 s, and a few such logins to the desk. Each is ended
// within 75 s of its start — at once for those that give way to newcomers,
// with a page saying why — and a source who sends a report meanwhile gets
// a receipt within seconds.
func slowBodies(t *testing.T, srv *tiplineProcess) {
	const public, desk = 200, 20
	type ended struct {
		answer string
		after  time.Duration
	}
	results := make(chan ended, public+desk)
	var wg sync.WaitGroup
	for i := range public + desk {
		base, path, contentType := srv.url, "/submit", "multipart/form-data; boundary=B"
		if i >= public {
			base, path, contentType = srv.desk, "/login", "application/x-www-form-urlencoded"
		}
		wg.Go(func() {
			start := time.Now()
			answer := trickle(t, base, path, contentType, 20*time.Second, 90*time.Second)
			results <- ended{answer, time.Since(start)}
		})
	}
	time.Sleep(2 * time.Second) // the flood is on

	start := time.Now()
	if _, err := crashSubmit(srv.url, "a source during a flood of slow uploads"); err != nil {
		t.Fatalf("a source got no receipt during the flood: %v", err)
	}
	waited := time.Since(start)
	if waited > 5*time.Second {
		t.Fatalf("a source waited %v for a receipt during the flood", waited)
	}
	wg.Wait()
	close(results)
	crowded, latest := 0, time.Duration(0)
	for r := range results {
		latest = max(latest, r.after)
		if r.after > 75*time.Second {
			t.Errorf("a slow body was ended after %v", r.after.Round(time.Second))
		}
		if strings.Contains(r.answer, "yours was the slowest") {
			crowded++
		}
	}
	if crowded == 0 {
		t.Error("no slow upload that gave way was told why")
	}
	t.Logf("%d slow bodies (%d to the desk): %d gave way to newcomers, the last ended after %v; a source got its receipt in %v",
		public+desk, desk, crowded, latest.Round(time.Second), waited.Round(time.Millisecond))
}

// trickle sends a request whose body comes one byte per every, and returns
// the answer's status and page ("" if the connection was closed without
// one) once the server ends it, or "" after patience.
func trickle(t *testing.T, base, path, contentType string, every, patience time.Duration) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Error(err)
		return ""
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n", path, u.Host, contentType)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("-")); err != nil {
					return
				}
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(patience))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "no end"
		}
		return ""
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.Status + "\n" + string(page)
}
