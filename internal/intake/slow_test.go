package intake_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/internal/store/storetest"
	"tipline/internal/web"
)

// A flood of uploads that send a byte now and then: each is ended in time
// — the slowest as soon as room is needed, with a page in its language
// saying why, the rest once they fall under the least rate for a window —
// and a source who sends a report meanwhile gets a receipt at once.
func TestSlowUploadsAreEndedAndASourceIsServed(t *testing.T) {
	// Long enough for all of the flood to arrive, on a busy machine, before
	// the first of it could be ended for slowness.
	const window = 2 * time.Second
	s := newSite(t, storetest.Backends(t)[0], siteOptions{bodies: web.BodyLimits{MaxBodies: 8, MinRate: 1 << 10, Window: window}})
	const slow = 20
	answers := make(chan string, slow)
	var wg sync.WaitGroup
	start := time.Now()
	for range slow {
		wg.Go(func() { answers <- slowUpload(t, s.url, "/ko/submit", 50*time.Millisecond, 10*window) })
		time.Sleep(10 * time.Millisecond)
	}
	began := time.Now()
	rcpt := s.client(t).submit("/submit", validReport)
	if took := time.Since(began); rcpt == "" || took > 2*time.Second {
		t.Fatalf("a source waited %v during a flood of slow uploads", took)
	}
	wg.Wait()
	if took := time.Since(start); took > 2*window+time.Second {
		t.Fatalf("the slow uploads were ended only after %v (window %v)", took, window)
	}
	close(answers)
	crowded, tooSlow := 0, 0
	for a := range answers {
		switch {
		case strings.Contains(a, "503") && strings.Contains(a, "가장 느려서"):
			crowded++
		case strings.Contains(a, "503") && strings.Contains(a, "너무 느리게"):
			tooSlow++
		default:
			t.Errorf("a slow upload was answered %q", a)
		}
	}
	// Past the 8 that fit, each newcomer (the source too) made one give way.
	if crowded < slow-8 || tooSlow == 0 {
		t.Fatalf("%d slow uploads gave way to others and %d were ended for slowness, of %d", crowded, tooSlow, slow)
	}
}

// slowUpload sends a report form one byte per every, and returns the status
// line and page it is answered with ("" if none within patience).
func slowUpload(t *testing.T, base, path string, every, patience time.Duration) string {
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Error(err)
		return ""
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: tipline\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n", path)
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
		return ""
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.Status + "\n" + string(page)
}
