package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"tipline/bench/internal/proc"
)

var receiptPattern = regexp.MustCompile(`<p id="receipt">([^<]+)</p>`)

// timeUpload posts the file and samples the server's memory while it does.
func timeUpload(cfg config, base *url.URL, file string, r *round) error {
	form, err := multipartBody(file)
	if err != nil {
		return err
	}
	defer form.file.Close()

	before, err := proc.ReadMemory(cfg.pid)
	if err != nil {
		return err
	}
	r.rssBefore = before.RSS
	if err := proc.ResetPeak(cfg.pid); err != nil {
		return fmt.Errorf("cannot reset the server's peak RSS: %w", err)
	}
	cpu0, _ := proc.CPU(cfg.pid)
	self0, machine0 := proc.SelfCPU(), readMachine()
	io0, _ := proc.WriteBytes(cfg.pid)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(cfg.every)
		defer tick.Stop()
		for {
			if m, err := proc.ReadMemory(cfg.pid); err == nil {
				r.sampledPeak = max(r.sampledPeak, m.RSS)
				r.sampledAnonPeak = max(r.sampledAnonPeak, m.Anon)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()

	t0 := time.Now()
	status, page, err := post(base, cfg.timeout, form)
	r.upload = time.Since(t0)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	after, err := proc.ReadMemory(cfg.pid)
	if err != nil {
		return err
	}
	r.hwm = after.Peak
	cpu1, _ := proc.CPU(cfg.pid)
	machine := readMachine().Sub(machine0)
	// The machine's counters are sampled per tick and the processes' are not,
	// so this can come out a little below zero when it is none.
	r.clientCPU = proc.SelfCPU() - self0
	r.otherCPU = max(0, machine.Busy-(cpu1-cpu0)-r.clientCPU)
	io1, _ := proc.WriteBytes(cfg.pid)
	r.serverCPU, r.serverWrote = cpu1-cpu0, io1-io0
	if status != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.300s", status, page)
	}
	if !receiptPattern.Match(page) {
		return errors.New("HTTP 200 without a receipt")
	}
	return nil
}

const boundary = "tipline-bench-upload-boundary-5d41402abc4b2a76"

// form is the multipart form as three pieces: the small fields and the file
// part's header, the file itself, and the closing boundary.
type form struct {
	head   []byte
	file   *os.File
	tail   string
	length int64
}

// post sends the form over a connection of its own and reads the answer.
// The file goes from the page cache to the socket with sendfile, never
// through this process: the client shares the two cores with the server,
// and a source's browser would not be on them at all. (net/http's client
// copies the body through user space, which cost this tool 0.6 s of CPU per
// GiB, taken from the server it measures.)
func post(base *url.URL, timeout time.Duration, f form) (int, []byte, error) {
	conn, err := net.DialTimeout("tcp", base.Host, timeout)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	head := fmt.Sprintf("POST /submit HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		base.Host, boundary, f.length)
	if _, err := conn.Write(append([]byte(head), f.head...)); err != nil {
		return 0, nil, err
	}
	if _, err := conn.(*net.TCPConn).ReadFrom(f.file); err != nil {
		return 0, nil, err
	}
	if _, err := io.WriteString(conn, f.tail); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return resp.StatusCode, page, err
}

// multipartBody is the form: small fields, then the file read from disk as
// it is sent, then the closing boundary.
func multipartBody(file string) (form, error) {
	f, err := os.Open(file)
	if err != nil {
		return form{}, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return form{}, err
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if err := mw.SetBoundary(boundary); err != nil {
		f.Close()
		return form{}, err
	}
	for _, kv := range [][2]string{
		{"category", "oil"},
		{"message", "Upload benchmark: one large file of random bytes."},
		{"send_others_as_is", "1"},
	} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			f.Close()
			return form{}, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="attachment"; filename="`+filepath.Base(file)+`"`)
	h.Set("Content-Type", "application/octet-stream")
	if _, err := mw.CreatePart(h); err != nil {
		f.Close()
		return form{}, err
	}
	tail := "\r\n--" + boundary + "--\r\n"
	return form{head: head.Bytes(), file: f, tail: tail, length: int64(head.Len()) + info.Size() + int64(len(tail))}, nil
}

func readMachine() proc.Machine {
	m, _ := proc.ReadMachine()
	return m
}
